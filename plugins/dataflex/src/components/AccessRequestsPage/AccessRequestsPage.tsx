import { Content, Header, Page } from '@backstage/core-components';
import Badge from '@material-ui/core/Badge';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useSearchParams } from 'react-router-dom';
import { AccessExplorerPageContent } from '../AccessExplorerPage';
import { MyRequestsTable } from './MyRequestsTable';
import { PendingApprovalsTable } from './PendingApprovalsTable';
import { usePendingApprovalsCount } from './usePendingApprovalsCount';

const TABS = [
  { value: 'mine', label: 'My requests' },
  { value: 'approvals', label: 'Pending approvals' },
  { value: 'roles', label: 'Roles and permissions' },
] as const;

type TabValue = (typeof TABS)[number]['value'];

function isTab(value: string | null): value is TabValue {
  return TABS.some(t => t.value === value);
}

/**
 * The access page body, shared by both frontend systems: the signed-in
 * user's requests, the requests waiting for their decision, and the roles
 * explorer. The tab and a dataset filter live in the URL
 * (`?tab=approvals&dataset=dataset:default/customers`), so notifications and
 * dataset pages can link straight to them.
 */
export const AccessRequestsPageContent = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('tab');
  const tab: TabValue = isTab(requested) ? requested : 'mine';
  const dataset = searchParams.get('dataset') ?? undefined;
  const { count: pendingCount, refresh: refreshCount } =
    usePendingApprovalsCount();

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) {
        next.delete(key);
      } else {
        next.set(key, value);
      }
    }
    setSearchParams(next, { replace: true });
  };

  const panel = (
    <Box
      role="tabpanel"
      id={`dataflex-access-panel-${tab}`}
      aria-labelledby={`dataflex-access-tab-${tab}`}
    >
      {tab === 'mine' && (
        <Content>
          <MyRequestsTable />
        </Content>
      )}
      {tab === 'approvals' && (
        <Content>
          <PendingApprovalsTable
            dataset={dataset}
            onClearDataset={() => update({ dataset: undefined })}
            onDecided={refreshCount}
          />
        </Content>
      )}
      {tab === 'roles' && <AccessExplorerPageContent />}
    </Box>
  );

  return (
    <>
      <Box px={3} pt={1}>
        <Tabs
          value={tab}
          onChange={(_event, value: TabValue) => update({ tab: value })}
          indicatorColor="primary"
          textColor="primary"
          aria-label="Access"
        >
          {TABS.map(t => (
            <Tab
              key={t.value}
              value={t.value}
              id={`dataflex-access-tab-${t.value}`}
              aria-controls={`dataflex-access-panel-${t.value}`}
              label={
                t.value === 'approvals' && pendingCount ? (
                  <Badge color="secondary" badgeContent={pendingCount}>
                    <Box pr={1}>{t.label}</Box>
                  </Badge>
                ) : (
                  t.label
                )
              }
            />
          ))}
        </Tabs>
      </Box>
      {panel}
    </>
  );
};

/** The access page for apps on the legacy frontend system. */
export const AccessRequestsPage = () => (
  <Page themeId="tool">
    <Header
      title="Access"
      subtitle="Your access requests, those waiting for your decision, and roles in effect"
    />
    <AccessRequestsPageContent />
  </Page>
);

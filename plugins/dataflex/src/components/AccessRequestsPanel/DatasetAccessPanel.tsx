import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { DatasetRefParts } from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import { accessRouteRef } from '../../routes';
import { DatasetAuditTable } from './DatasetAuditTable';
import { DatasetGrantsTable } from './DatasetGrantsTable';

/**
 * Access management of one dataset, for its owners and admins: its grants
 * (revoke, grant directly) and its access log, plus a link to the requests
 * waiting for a decision.
 */
export const DatasetAccessPanel = (props: {
  datasetRef: DatasetRefParts;
  /** The dataset's versions, newest first. */
  versions: number[];
}) => {
  const { datasetRef, versions } = props;
  const inboxLink = useRouteRef(accessRouteRef);
  const [tab, setTab] = useState<'grants' | 'audit'>('grants');
  const query = new URLSearchParams({
    tab: 'approvals',
    dataset: `dataset:${datasetRef.namespace}/${datasetRef.name}`,
  });
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Tabs
          value={tab}
          onChange={(_event, value) => setTab(value)}
          indicatorColor="primary"
          textColor="primary"
          aria-label="Dataset access"
        >
          <Tab
            value="grants"
            label="Grants"
            id="dataflex-dataset-access-tab-grants"
            aria-controls="dataflex-dataset-access-panel"
          />
          <Tab
            value="audit"
            label="Access log"
            id="dataflex-dataset-access-tab-audit"
            aria-controls="dataflex-dataset-access-panel"
          />
        </Tabs>
        <Box flexGrow={1} />
        <Link to={`${inboxLink()}?${query}`}>Requests for this dataset</Link>
      </Box>
      <Box
        role="tabpanel"
        id="dataflex-dataset-access-panel"
        aria-labelledby={`dataflex-dataset-access-tab-${tab}`}
        pt={2}
      >
        {tab === 'grants' ? (
          <DatasetGrantsTable datasetRef={datasetRef} versions={versions} />
        ) : (
          <DatasetAuditTable datasetRef={datasetRef} />
        )}
      </Box>
    </>
  );
};

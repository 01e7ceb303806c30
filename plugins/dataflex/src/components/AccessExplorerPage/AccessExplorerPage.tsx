import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { rbacApiRef } from '../../api';
import { ExplainCard } from '../ExplainCard';
import { RolesCard } from '../RolesCard';

/** The access page body, shared by both frontend systems. */
export const AccessExplorerPageContent = () => {
  const rbacApi = useApi(rbacApiRef);
  // Whether to offer asking about other users; the backend enforces it.
  const { value: roles, loading } = useAsync(
    () => rbacApi.getRoles(),
    [rbacApi],
  );
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          {loading ? (
            <Progress />
          ) : (
            <ExplainCard canAskForOthers={roles?.you.isAdmin ?? false} />
          )}
        </Grid>
        <Grid item xs={12}>
          <RolesCard />
        </Grid>
      </Grid>
    </Content>
  );
};

/** The access page for apps on the legacy frontend system. */
export const AccessExplorerPage = () => (
  <Page themeId="tool">
    <Header
      title="Access"
      subtitle="Roles in effect, and why someone can or cannot see something"
    />
    <AccessExplorerPageContent />
  </Page>
);

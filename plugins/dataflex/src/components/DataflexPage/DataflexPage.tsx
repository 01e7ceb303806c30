import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { PortalStatusCard } from '../PortalStatusCard';

/**
 * The page body, shared by both frontend systems.
 */
export const DataflexPageContent = () => (
  <Content>
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <PortalStatusCard />
      </Grid>
    </Grid>
  </Content>
);

/**
 * The DataFlex page for apps on the legacy frontend system, which need the
 * page to bring its own header. The new frontend system renders the plugin
 * header around {@link DataflexPageContent} itself.
 */
export const DataflexPage = () => (
  <Page themeId="tool">
    <Header title="DataFlex" subtitle="Datasets and data services" />
    <DataflexPageContent />
  </Page>
);

import { Content, Header, Page } from '@backstage/core-components';
import {
  configApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';
import { accessRequestsApiRef } from '../../api';
import { BrowseHero } from '../BrowseHero';
import { isSearchActive } from '../BrowseQuery/browseFilters';
import { BrowseRow } from '../BrowseRow';
import { BrowseResults, BrowseSearch, useBrowseFilters } from '../BrowseSearch';
import { browseRows } from './browseRows';
import { readBrowseConfig } from './readBrowseConfig';

/**
 * The browse page body, shared by both frontend systems: search and
 * filters on top, then either the results or the featured entity and the
 * rows.
 */
export const BrowsePageContent = () => {
  const configApi = useApi(configApiRef);
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);
  const accessRequestsApi = useApi(accessRequestsApiRef);
  const config = useMemo(() => readBrowseConfig(configApi), [configApi]);
  const rows = useMemo(
    () =>
      browseRows({
        catalogApi,
        identityApi,
        accessRequestsApi,
        configured: config.rows,
      }),
    [catalogApi, identityApi, accessRequestsApi, config.rows],
  );
  const [filters, setFilters] = useBrowseFilters();

  return (
    <Content>
      <BrowseSearch filters={filters} onChange={setFilters} />
      {isSearchActive(filters) ? (
        <BrowseResults filters={filters} />
      ) : (
        <>
          <BrowseHero featured={config.featured} />
          {rows.map(row => (
            <BrowseRow
              key={row.id}
              title={row.title}
              load={row.load}
              emptyMessage={row.emptyMessage}
            />
          ))}
        </>
      )}
    </Content>
  );
};

/**
 * The browse page for apps on the legacy frontend system, which need the
 * page to bring its own header.
 */
export const BrowsePage = () => (
  <Page themeId="home">
    <Header title="Browse" subtitle="Services and datasets" />
    <BrowsePageContent />
  </Page>
);

import type { ConfigApi } from '@backstage/core-plugin-api';

/** A configured row: what carries a tag, or belongs to a domain, or both. */
export interface BrowseRowConfig {
  title: string;
  tag?: string;
  domain?: string;
}

/** `dataflex.browse`, see the plugin's config.d.ts. */
export interface BrowseConfig {
  featured: string[];
  rows: BrowseRowConfig[];
}

/** Reads `dataflex.browse`; the config schema has already checked types. */
export function readBrowseConfig(config: ConfigApi): BrowseConfig {
  const browse = config.getOptionalConfig('dataflex.browse');
  return {
    featured: browse?.getOptionalStringArray('featured') ?? [],
    rows: (browse?.getOptionalConfigArray('rows') ?? []).map(row => ({
      title: row.getString('title'),
      tag: row.getOptionalString('tag'),
      domain: row.getOptionalString('domain'),
    })),
  };
}

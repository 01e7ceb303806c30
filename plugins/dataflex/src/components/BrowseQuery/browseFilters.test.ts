import {
  buildSearchRequest,
  filtersPredicate,
  isSearchActive,
  ownerRef,
  readBrowseFilters,
  writeBrowseFilters,
} from './browseFilters';
import { CARD_FIELDS, RESULTS_PAGE_SIZE, SEARCH_FIELDS } from './browseQueries';

const hasDemo = {
  $any: [
    { 'metadata.annotations.dataflex.io/demo-pipeline': { $exists: true } },
    { 'metadata.annotations.dataflex.io/demo-endpoint': { $exists: true } },
  ],
};

describe('browse filters in the URL', () => {
  it('reads every filter and drops values it does not know', () => {
    expect(
      readBrowseFilters(
        new URLSearchParams(
          'q=+orders+&kind=dataset&type=service&owner=data-platform&tag=crm&format=csv&visibility=PUBLIC&demo=true&page=3',
        ),
      ),
    ).toEqual({
      q: 'orders',
      kind: 'Dataset',
      type: 'service',
      owner: 'data-platform',
      tag: 'crm',
      format: 'csv',
      visibility: 'public',
      demo: true,
    });
    expect(
      readBrowseFilters(
        new URLSearchParams('kind=API&visibility=secret&demo=yes&q=%20'),
      ),
    ).toEqual({});
  });

  it('writes only what is set and keeps parameters that are no filters', () => {
    const params = writeBrowseFilters(
      { q: 'orders', tag: undefined, demo: false, visibility: 'open' },
      new URLSearchParams('tab=x&tag=old'),
    );
    expect(params.toString()).toBe('tab=x&q=orders&visibility=open');
  });

  it('round-trips', () => {
    const filters = {
      q: 'fraud scores',
      kind: 'Component' as const,
      owner: 'group:default/risk',
      demo: true,
    };
    expect(readBrowseFilters(writeBrowseFilters(filters))).toEqual(filters);
  });

  it('knows when a search or filter is active', () => {
    expect(isSearchActive({})).toBe(false);
    expect(isSearchActive({ demo: false })).toBe(false);
    expect(isSearchActive({ q: 'x' })).toBe(true);
    expect(isSearchActive({ visibility: 'private' })).toBe(true);
  });
});

describe('ownerRef', () => {
  it('reads owners as typed as full refs, groups by default', () => {
    expect(ownerRef('data-platform')).toBe('group:default/data-platform');
    expect(ownerRef('user:anil')).toBe('user:default/anil');
    expect(ownerRef('group:ops/sre')).toBe('group:ops/sre');
    expect(ownerRef('group:platform/')).toBeUndefined();
  });

  it('matches nothing for an owner that is no ref', () => {
    expect(filtersPredicate({ owner: 'group:platform/' })).toEqual({
      $all: [
        { kind: { $in: ['Dataset', 'Component'] } },
        { 'relations.ownedBy': '' },
      ],
    });
  });
});

describe('filters as a catalog query', () => {
  it('shows services and datasets when nothing is filtered', () => {
    expect(filtersPredicate({})).toEqual({
      kind: { $in: ['Dataset', 'Component'] },
    });
  });

  it('turns each filter into a field condition', () => {
    expect(
      filtersPredicate({
        kind: 'Component',
        type: 'service',
        owner: 'data-platform',
        tag: 'crm',
        demo: true,
      }),
    ).toEqual({
      $all: [
        { kind: 'Component' },
        { 'spec.type': 'service' },
        { 'relations.ownedBy': 'group:default/data-platform' },
        { 'metadata.tags': 'crm' },
        hasDemo,
      ],
    });
  });

  it('counts datasets without a visibility as private', () => {
    expect(filtersPredicate({ visibility: 'private' })).toEqual({
      $all: [
        { kind: { $in: ['Dataset', 'Component'] } },
        { kind: 'Dataset' },
        {
          $any: [
            { 'spec.visibility': 'private' },
            { 'spec.visibility': { $exists: false } },
          ],
        },
      ],
    });
    expect(filtersPredicate({ visibility: 'open', format: 'csv' })).toEqual({
      $all: [
        { kind: { $in: ['Dataset', 'Component'] } },
        { 'spec.format': 'csv' },
        { kind: 'Dataset' },
        { 'spec.visibility': 'open' },
      ],
    });
    expect(filtersPredicate({ kind: 'Dataset', visibility: 'public' })).toEqual(
      { $all: [{ kind: 'Dataset' }, { 'spec.visibility': 'public' }] },
    );
  });

  it('searches names, titles, descriptions and tags a page at a time', () => {
    expect(buildSearchRequest({ q: 'orders', tag: 'sales' })).toEqual({
      query: {
        $all: [
          { kind: { $in: ['Dataset', 'Component'] } },
          { 'metadata.tags': 'sales' },
        ],
      },
      fullTextFilter: { term: 'orders', fields: SEARCH_FIELDS },
      orderFields: { field: 'metadata.name', order: 'asc' },
      limit: RESULTS_PAGE_SIZE,
      fields: CARD_FIELDS,
      totalItems: 'include',
    });
    expect(buildSearchRequest({ kind: 'Dataset' })).not.toHaveProperty(
      'fullTextFilter',
    );
  });
});

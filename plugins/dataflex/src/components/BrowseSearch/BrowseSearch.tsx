import type { CatalogApi } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import InputAdornment from '@material-ui/core/InputAdornment';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { makeStyles, Theme } from '@material-ui/core/styles';
import ClearIcon from '@material-ui/icons/Clear';
import FilterListIcon from '@material-ui/icons/FilterList';
import SearchIcon from '@material-ui/icons/Search';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  BrowseFilters,
  FILTER_KINDS,
  isSearchActive,
  Visibility,
  VISIBILITIES,
} from '../BrowseQuery/browseFilters';
import { BROWSE_KINDS } from '../BrowseQuery/browseQueries';
import { BrowseFilterField } from './BrowseFilterField';
import { SetBrowseFiltersOptions } from './useBrowseFilters';

/** Typing pauses this long before the search runs. */
export const SEARCH_DEBOUNCE_MS = 300;

/** Suggestions a filter offers at most. */
const MAX_OPTIONS = 50;

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(3),
    // On the page's grey the labels fall just short of a 4.5:1 contrast;
    // on paper they have it, in both themes.
    '& .MuiOutlinedInput-root, & .MuiInputLabel-outlined.MuiInputLabel-shrink':
      {
        backgroundColor: theme.palette.background.paper,
      },
  },
  filters: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))',
    gap: theme.spacing(1.5),
    alignItems: 'center',
    '&[hidden]': {
      display: 'none',
    },
  },
  toggle: {
    alignSelf: 'flex-start',
  },
  owner: {
    gridColumn: 'span 2',
    [theme.breakpoints.down('xs')]: {
      gridColumn: 'auto',
    },
  },
  option: {
    display: 'flex',
    flexDirection: 'column',
  },
  optionRef: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
}));

const kindLabels: Record<(typeof FILTER_KINDS)[number], string> = {
  Dataset: 'Datasets',
  Component: 'Services and components',
};

/** Suggests the most common values of a field, loaded once per kind. */
function useFacetOptions(
  catalogApi: CatalogApi,
  facet: string,
  kind: string | string[],
) {
  const cache = useRef(new Map<string, Promise<string[]>>());
  return useCallback(
    async (input: string) => {
      const key = [kind].flat().join();
      let values = cache.current.get(key);
      if (!values) {
        values = catalogApi
          .getEntityFacets({ facets: [facet], filter: { kind } })
          .then(({ facets }) =>
            [...(facets[facet] ?? [])]
              .sort((a, b) => b.count - a.count)
              .map(f => f.value),
          );
        cache.current.set(key, values);
        // A failure is not kept: the next open asks again.
        values.catch(() => cache.current.delete(key));
      }
      const needle = input.toLocaleLowerCase('en-US');
      return (await values)
        .filter(v => v.toLocaleLowerCase('en-US').includes(needle))
        .slice(0, MAX_OPTIONS);
    },
    [catalogApi, facet, kind],
  );
}

/** Props of {@link BrowseSearch}. */
export interface BrowseSearchProps {
  filters: BrowseFilters;
  onChange: (
    change: Partial<BrowseFilters>,
    options?: SetBrowseFiltersOptions,
  ) => void;
}

/**
 * The search box (debounced) and filters of the browse page. It only
 * reports changes; the URL holds the state.
 */
export const BrowseSearch = (props: BrowseSearchProps) => {
  const { filters, onChange } = props;
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const [term, setTerm] = useState(filters.q ?? '');
  // The term last written to (or read from) the URL.
  const written = useRef(filters.q ?? '');

  // The URL changed underneath (back, forward, a link): show its term.
  useEffect(() => {
    const q = filters.q ?? '';
    if (q !== written.current) {
      written.current = q;
      setTerm(q);
    }
  }, [filters.q]);

  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    const q = term.trim();
    if (q === written.current) {
      return undefined;
    }
    const timer = setTimeout(() => {
      written.current = q;
      // Refining a search replaces the history entry; starting one adds it,
      // so Back returns to the rows.
      onChangeRef.current(
        { q: q || undefined },
        { replace: Boolean(filtersRef.current.q) && Boolean(q) },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [term]);

  const kindForFacets = filters.kind ?? BROWSE_KINDS;
  const typeOptions = useFacetOptions(catalogApi, 'spec.type', kindForFacets);
  const tagOptions = useFacetOptions(
    catalogApi,
    'metadata.tags',
    kindForFacets,
  );
  const formatOptions = useFacetOptions(catalogApi, 'spec.format', 'Dataset');
  const owners = useRef(new Map<string, string>());
  const ownerOptions = useCallback(
    async (input: string) => {
      const { items } = await catalogApi.queryEntities({
        query: { kind: { $in: ['Group', 'User'] } },
        ...(input
          ? {
              fullTextFilter: {
                term: input,
                fields: ['metadata.name', 'metadata.title'],
              },
            }
          : {}),
        orderFields: { field: 'metadata.name', order: 'asc' },
        limit: 20,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
        ],
        totalItems: 'exclude',
      });
      return items.map(item => {
        const ref = stringifyEntityRef(item);
        owners.current.set(ref, item.metadata.title ?? item.metadata.name);
        return ref;
      });
    },
    [catalogApi],
  );

  const active = useMemo(() => isSearchActive(filters), [filters]);
  // On a phone the filters fold away below a button, the search box stays.
  const compact = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  const [showFilters, setShowFilters] = useState(false);
  const filterCount = Object.keys(filters).filter(key => key !== 'q').length;

  return (
    <div
      className={classes.root}
      role="search"
      aria-label="Services and datasets"
    >
      <TextField
        id="browse-search"
        type="search"
        variant="outlined"
        fullWidth
        label="Search services and datasets"
        placeholder="Name, description or tag"
        value={term}
        onChange={event => setTerm(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'Escape' && term) {
            setTerm('');
          }
        }}
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon aria-hidden />
            </InputAdornment>
          ),
          endAdornment: term ? (
            <InputAdornment position="end">
              <IconButton
                size="small"
                aria-label="Clear search"
                onClick={() => setTerm('')}
              >
                <ClearIcon />
              </IconButton>
            </InputAdornment>
          ) : undefined,
        }}
      />
      {compact && (
        <Button
          className={classes.toggle}
          startIcon={<FilterListIcon />}
          aria-expanded={showFilters}
          aria-controls="browse-filters"
          onClick={() => setShowFilters(!showFilters)}
        >
          {showFilters ? 'Hide filters' : 'Filters'}
          {filterCount > 0 ? ` (${filterCount})` : ''}
        </Button>
      )}
      <div
        id="browse-filters"
        className={classes.filters}
        hidden={compact && !showFilters}
      >
        <TextField
          id="browse-filter-kind"
          select
          size="small"
          variant="outlined"
          label="Kind"
          value={filters.kind ?? ''}
          onChange={event =>
            onChange({
              kind: (event.target.value || undefined) as BrowseFilters['kind'],
            })
          }
        >
          <MenuItem value="">All</MenuItem>
          {FILTER_KINDS.map(kind => (
            <MenuItem key={kind} value={kind}>
              {kindLabels[kind]}
            </MenuItem>
          ))}
        </TextField>
        <BrowseFilterField
          label="Type"
          value={filters.type}
          onChange={type => onChange({ type })}
          loadOptions={typeOptions}
        />
        <BrowseFilterField
          className={classes.owner}
          label="Owner"
          value={filters.owner}
          onChange={owner => onChange({ owner })}
          loadOptions={ownerOptions}
          renderOption={ref => (
            <span className={classes.option}>
              <span>{owners.current.get(ref) ?? ref}</span>
              <span className={classes.optionRef}>{ref}</span>
            </span>
          )}
        />
        <BrowseFilterField
          label="Tag"
          value={filters.tag}
          onChange={tag => onChange({ tag })}
          loadOptions={tagOptions}
        />
        <BrowseFilterField
          label="Format"
          value={filters.format}
          onChange={format => onChange({ format })}
          loadOptions={formatOptions}
        />
        <TextField
          id="browse-filter-visibility"
          select
          size="small"
          variant="outlined"
          label="Visibility"
          value={filters.visibility ?? ''}
          onChange={event =>
            onChange({
              visibility: (event.target.value || undefined) as
                | Visibility
                | undefined,
            })
          }
        >
          <MenuItem value="">Any</MenuItem>
          {VISIBILITIES.map(visibility => (
            <MenuItem key={visibility} value={visibility}>
              {visibility.charAt(0).toLocaleUpperCase('en-US') +
                visibility.slice(1)}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              checked={filters.demo ?? false}
              onChange={event =>
                onChange({ demo: event.target.checked || undefined })
              }
            />
          }
          label="Has a demo"
        />
        {active && (
          <Button
            onClick={() => {
              written.current = '';
              setTerm('');
              onChange({
                q: undefined,
                kind: undefined,
                type: undefined,
                owner: undefined,
                tag: undefined,
                format: undefined,
                visibility: undefined,
                demo: undefined,
              });
            }}
          >
            Clear all
          </Button>
        )}
      </div>
      {filters.visibility && (
        <Typography variant="caption">
          Visibility applies to datasets, so only datasets are shown.
        </Typography>
      )}
    </div>
  );
};

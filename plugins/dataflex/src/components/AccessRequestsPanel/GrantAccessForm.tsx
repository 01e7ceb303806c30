import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  AccessGrant,
  DatasetRefParts,
  NewAccessGrant,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { accessRequestsApiRef } from '../../api';
import { describeGrantScope } from '../AccessRequestsCommon';
import { endOfDay } from '../AccessRequestsDialog/validateAccessRequest';
import { backendMessage } from '../DatasetCard/backendMessage';

const SUGGESTIONS = 10;
const ALL_LATER = 'all';

interface Suggestion {
  ref: string;
  label: string;
}

/** Users and groups whose name or title contains what was typed. */
function useGranteeSuggestions(term: string): Suggestion[] {
  const catalogApi = useApi(catalogApiRef);
  const [debounced, setDebounced] = useState(term);
  useDebounce(() => setDebounced(term.trim()), 250, [term]);
  const { value } = useAsync(async () => {
    if (debounced.length < 2 || debounced.includes(':')) {
      return [];
    }
    const { items } = await catalogApi.queryEntities({
      filter: { kind: ['User', 'Group'] },
      fullTextFilter: {
        term: debounced,
        fields: ['metadata.name', 'metadata.title', 'spec.profile.displayName'],
      },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
      limit: SUGGESTIONS,
    });
    return items.map(entity => {
      const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
      const title =
        (entity.spec?.profile as { displayName?: string } | undefined)
          ?.displayName ?? entity.metadata.title;
      return { ref, label: title ? `${title} (${ref})` : ref };
    });
  }, [catalogApi, debounced]);
  return value ?? [];
}

function grantProblem(
  grantee: string,
  fromVersion: number,
  toVersion: string,
  endDate: string,
): string | undefined {
  if (!grantee.trim()) {
    return 'Name a user or group';
  }
  if (toVersion !== ALL_LATER && Number(toVersion) < fromVersion) {
    return 'The last version comes before the first';
  }
  if (endDate && endOfDay(endDate) <= new Date()) {
    return 'Pick an end in the future';
  }
  return undefined;
}

/**
 * Grants a user or group access to a dataset without a request: the grantee
 * (picked from the catalog, or typed as `user:default/mei` /
 * `group:default/ml-platform`; a bare name is a user), the versions and an
 * optional end date. The API's refusal is shown as it is.
 */
export const GrantAccessForm = (props: {
  datasetRef: DatasetRefParts;
  /** The dataset's versions, newest first. */
  versions: number[];
  onGranted: (grant: AccessGrant) => void;
}) => {
  const { datasetRef, versions, onGranted } = props;
  const accessApi = useApi(accessRequestsApiRef);
  const [grantee, setGrantee] = useState('');
  const [fromVersion, setFromVersion] = useState(1);
  const [toVersion, setToVersion] = useState<string>(ALL_LATER);
  const [endDate, setEndDate] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const suggestions = useGranteeSuggestions(grantee);
  const choices = versions.length > 0 ? [...versions].reverse() : [1];

  const problem = grantProblem(grantee, fromVersion, toVersion, endDate);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    if (problem) {
      setError(problem);
      return;
    }
    const body: NewAccessGrant = {
      grantee: grantee.trim(),
      fromVersion,
      ...(toVersion !== ALL_LATER && { toVersion: Number(toVersion) }),
      ...(endDate && { endsAt: endOfDay(endDate) }),
    };
    setSending(true);
    setError(undefined);
    try {
      const grant = await accessApi.createDatasetGrant(datasetRef, body);
      setGrantee('');
      setEndDate('');
      setDone(`Granted ${grant.grantee} ${describeGrantScope(grant)}.`);
      onGranted(grant);
    } catch (e) {
      setError(backendMessage(e as Error));
    } finally {
      setSending(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="dataflex-grant-title">
      <Typography variant="subtitle1" component="h4" id="dataflex-grant-title">
        Grant access
      </Typography>
      <Box display="flex" flexWrap="wrap" alignItems="flex-start">
        <Box mr={2} minWidth={280} flexGrow={1}>
          <Autocomplete
            freeSolo
            options={suggestions}
            filterOptions={options => options}
            getOptionLabel={option =>
              typeof option === 'string' ? option : option.label
            }
            inputValue={grantee}
            onInputChange={(_event, value, reason) => {
              if (reason !== 'reset') {
                setGrantee(value);
              }
            }}
            onChange={(_event, value) => {
              if (value && typeof value !== 'string') {
                setGrantee(value.ref);
              }
            }}
            disabled={sending}
            renderInput={params => (
              <TextField
                {...params}
                id="dataflex-grant-grantee"
                label="User or group"
                margin="normal"
                helperText="Search by name, or type user:default/mei or group:default/ml-platform"
              />
            )}
          />
        </Box>
        <Box mr={2}>
          <TextField
            id="dataflex-grant-from"
            select
            label="From version"
            margin="normal"
            value={fromVersion}
            disabled={sending}
            onChange={e => setFromVersion(Number(e.target.value))}
          >
            {choices.map(v => (
              <MenuItem key={v} value={v}>
                {v}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        <Box mr={2}>
          <TextField
            id="dataflex-grant-to"
            select
            label="To version"
            margin="normal"
            value={toVersion}
            disabled={sending}
            onChange={e => setToVersion(e.target.value)}
          >
            <MenuItem value={ALL_LATER}>All later versions</MenuItem>
            {choices.map(v => (
              <MenuItem key={v} value={String(v)}>
                {v}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        <Box mr={2}>
          <TextField
            id="dataflex-grant-end"
            type="date"
            label="Ends (optional)"
            margin="normal"
            InputLabelProps={{ shrink: true }}
            value={endDate}
            disabled={sending}
            onChange={e => setEndDate(e.target.value)}
          />
        </Box>
        <Box mt={3}>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={sending}
          >
            {sending ? 'Granting…' : 'Grant access'}
          </Button>
        </Box>
      </Box>
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      {done && (
        <Alert severity="success" role="status">
          {done}
        </Alert>
      )}
    </form>
  );
};

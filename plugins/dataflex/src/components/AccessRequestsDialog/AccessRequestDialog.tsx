import { useApi } from '@backstage/core-plugin-api';
import {
  ACCESS_REQUEST_LIMITS,
  AccessRequest,
  AccessScope,
  DatasetRefParts,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useEffect, useState } from 'react';
import { accessRequestsApiRef } from '../../api';
import { backendMessage } from '../DatasetCard/backendMessage';
import {
  AccessRequestDraft,
  fieldLabel,
  toNewAccessRequest,
  validateAccessRequest,
} from './validateAccessRequest';

function emptyDraft(versions: number[]): AccessRequestDraft {
  return {
    justification: '',
    // Without versions there is nothing to pin, only "from 1 on".
    scope: versions.length > 0 ? 'version' : 'version-and-later',
    version: versions[0],
    endDate: '',
    fields: {},
  };
}

function today(): string {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/**
 * Asks a dataset's owners for access: a justification, the versions, an
 * optional end date and the answers to the dataset's own required fields.
 * The form checks what it can as the person types; when the API still
 * refuses, its message is shown as it is and the form stays filled in.
 */
export const AccessRequestDialog = (props: {
  open: boolean;
  datasetRef: DatasetRefParts;
  /** The dataset's versions, newest first; empty before the first upload. */
  versions: number[];
  /** Names of the dataset's own required fields. */
  requestFields: string[];
  onClose: () => void;
  onRequested: (request: AccessRequest) => void;
}) => {
  const { open, datasetRef, versions, requestFields, onClose, onRequested } =
    props;
  const accessApi = useApi(accessRequestsApiRef);
  const [draft, setDraft] = useState(() => emptyDraft(versions));
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const latest = versions[0];

  useEffect(() => {
    if (open) {
      setDraft(emptyDraft(versions));
      setSubmitted(false);
      setTouched({});
      setError(undefined);
    }
    // Only a newly opened dialog starts over.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const problems = validateAccessRequest(draft, requestFields);
  const shown = (key: string) =>
    submitted || touched[key] ? problems[key] : undefined;
  const touch = (key: string) => () =>
    setTouched(previous => ({ ...previous, [key]: true }));

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length > 0) {
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      const request = await accessApi.createAccessRequest(
        datasetRef,
        toNewAccessRequest(draft, requestFields),
      );
      onRequested(request);
    } catch (e) {
      setError(backendMessage(e as Error));
    } finally {
      setSending(false);
    }
  };

  const close = () => {
    if (!sending) {
      onClose();
    }
  };

  const justificationLength = [...draft.justification.trim()].length;

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="dataflex-access-request-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="dataflex-access-request-title">
          Request access to {datasetRef.name}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="textSecondary" paragraph>
            The dataset's owners decide; you are notified either way.
          </Typography>
          <TextField
            id="dataflex-access-request-justification"
            label="Justification"
            required
            fullWidth
            multiline
            minRows={3}
            margin="normal"
            value={draft.justification}
            disabled={sending}
            onChange={e =>
              setDraft({ ...draft, justification: e.target.value })
            }
            onBlur={touch('justification')}
            error={shown('justification') !== undefined}
            helperText={
              <Box
                component="span"
                display="flex"
                justifyContent="space-between"
              >
                <span>{shown('justification') ?? 'Why you need the data'}</span>
                <span
                  aria-label={`${justificationLength} of ${ACCESS_REQUEST_LIMITS.justificationMaxLength} characters`}
                >
                  {justificationLength} /{' '}
                  {ACCESS_REQUEST_LIMITS.justificationMaxLength}
                </span>
              </Box>
            }
          />

          {requestFields.map(name => (
            <TextField
              key={name}
              id={`dataflex-access-request-field-${name}`}
              label={fieldLabel(name)}
              required
              fullWidth
              margin="normal"
              value={draft.fields[name] ?? ''}
              disabled={sending}
              inputProps={{ 'data-field': name }}
              onChange={e =>
                setDraft({
                  ...draft,
                  fields: { ...draft.fields, [name]: e.target.value },
                })
              }
              onBlur={touch(`fields.${name}`)}
              error={shown(`fields.${name}`) !== undefined}
              helperText={
                shown(`fields.${name}`) ??
                `Asked for by the owners, at most ${ACCESS_REQUEST_LIMITS.fieldMaxLength} characters`
              }
            />
          ))}

          <Box mt={2}>
            <FormControl component="fieldset" disabled={sending}>
              <FormLabel component="legend">Versions</FormLabel>
              <RadioGroup
                aria-label="Versions"
                name="scope"
                value={draft.scope}
                onChange={e =>
                  setDraft({ ...draft, scope: e.target.value as AccessScope })
                }
              >
                <FormControlLabel
                  value="version"
                  disabled={latest === undefined}
                  control={<Radio color="primary" />}
                  label="This version only"
                />
                <FormControlLabel
                  value="version-and-later"
                  control={<Radio color="primary" />}
                  label="This version and later ones, including future uploads"
                />
              </RadioGroup>
            </FormControl>
          </Box>
          {latest !== undefined && (
            <TextField
              id="dataflex-access-request-version"
              select
              label="Version"
              margin="normal"
              value={draft.version ?? latest}
              disabled={sending}
              onChange={e =>
                setDraft({ ...draft, version: Number(e.target.value) })
              }
              helperText={
                draft.scope === 'version'
                  ? 'The version you need'
                  : 'The first version you need'
              }
            >
              {versions.map(v => (
                <MenuItem key={v} value={v}>
                  Version {v}
                  {v === latest ? ' (latest)' : ''}
                </MenuItem>
              ))}
            </TextField>
          )}

          <TextField
            id="dataflex-access-request-end"
            type="date"
            label="Access ends (optional)"
            fullWidth
            margin="normal"
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: today() }}
            value={draft.endDate}
            disabled={sending}
            onChange={e => setDraft({ ...draft, endDate: e.target.value })}
            onBlur={touch('endDate')}
            error={shown('endDate') !== undefined}
            helperText={
              shown('endDate') ??
              'Access stops at the end of this day; leave empty for no end'
            }
          />

          {error && (
            <Box mt={2}>
              <Alert severity="error" role="alert">
                {error}
              </Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={sending}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={sending}
          >
            {sending ? 'Sending…' : 'Send request'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

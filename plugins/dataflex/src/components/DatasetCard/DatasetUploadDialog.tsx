import { useApi } from '@backstage/core-plugin-api';
import {
  DatasetRefParts,
  DatasetVersion,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ChangeEvent, useState } from 'react';
import { datasetsApiRef, UploadProgress } from '../../api';
import { backendMessage } from './backendMessage';
import { formatBytes } from './formatBytes';

/**
 * Uploads a new version of a dataset, showing the bytes sent as they go and
 * the backend's message when it refuses the file.
 */
export const DatasetUploadDialog = (props: {
  open: boolean;
  datasetRef: DatasetRefParts;
  onClose: () => void;
  onUploaded: (version: DatasetVersion) => void;
}) => {
  const { open, datasetRef, onClose, onUploaded } = props;
  const datasetsApi = useApi(datasetsApiRef);
  const [file, setFile] = useState<File>();
  const [changeNote, setChangeNote] = useState('');
  const [progress, setProgress] = useState<UploadProgress>();
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string>();

  const reset = () => {
    setFile(undefined);
    setChangeNote('');
    setProgress(undefined);
    setError(undefined);
  };

  const close = () => {
    if (!uploading) {
      reset();
      onClose();
    }
  };

  const upload = async () => {
    if (!file) {
      return;
    }
    setUploading(true);
    setError(undefined);
    setProgress({ loaded: 0, total: file.size });
    try {
      const version = await datasetsApi.uploadVersionWithProgress(
        datasetRef,
        file,
        {
          filename: file.name,
          changeNote: changeNote.trim() || undefined,
          onProgress: setProgress,
        },
      );
      reset();
      onUploaded(version);
    } catch (e) {
      setError(backendMessage(e as Error));
    } finally {
      setUploading(false);
    }
  };

  const percent =
    progress && progress.total > 0
      ? Math.round((progress.loaded / progress.total) * 100)
      : 0;

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
      <DialogTitle>Upload new version</DialogTitle>
      <DialogContent>
        <Box display="flex" alignItems="center" mb={2}>
          <Button variant="outlined" component="label" disabled={uploading}>
            Choose file
            <input
              type="file"
              hidden
              aria-label="File"
              accept=".csv,.jsonl,.ndjson,.parquet"
              onChange={(e: ChangeEvent<HTMLInputElement>) => {
                setFile(e.target.files?.[0]);
                setError(undefined);
              }}
            />
          </Button>
          <Box ml={2}>
            <Typography variant="body2">
              {file
                ? `${file.name} (${formatBytes(file.size)})`
                : 'CSV, JSON Lines or Parquet'}
            </Typography>
          </Box>
        </Box>
        <TextField
          id="dataset-upload-change-note"
          label="Change note"
          fullWidth
          multiline
          value={changeNote}
          disabled={uploading}
          onChange={e => setChangeNote(e.target.value)}
        />
        {progress && (uploading || error) && (
          <Box mt={2}>
            <LinearProgress
              variant="determinate"
              value={percent}
              aria-label="Upload progress"
            />
            <Typography variant="caption" color="textSecondary">
              {formatBytes(progress.loaded)} of {formatBytes(progress.total)}{' '}
              sent ({percent}%)
            </Typography>
          </Box>
        )}
        {error && (
          <Box mt={2}>
            <Alert severity="error">{error}</Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={uploading}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={upload}
          disabled={!file || uploading}
        >
          {uploading ? 'Uploading…' : 'Upload'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useEffect, useState } from 'react';
import { backendMessage } from '../DatasetCard/backendMessage';

function reasonProblem(
  reason: { label: string; required: boolean; maxLength: number } | undefined,
  trimmed: string,
): string | undefined {
  if (reason?.required && trimmed.length === 0) {
    return `${reason.label} is required`;
  }
  if (reason && [...trimmed].length > reason.maxLength) {
    return `At most ${reason.maxLength} characters`;
  }
  return undefined;
}

/**
 * Asks to confirm an action, optionally with a reason (required for a
 * rejection, optional for a revocation). Shows the error of a failed
 * attempt and stays open, so the person can try again or cancel.
 */
export const ReasonDialog = (props: {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Absent: no reason field. */
  reason?: { label: string; required: boolean; maxLength: number };
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) => {
  const { open, title, description, confirmLabel, reason, onConfirm, onClose } =
    props;
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) {
      setText('');
      setTouched(false);
      setError(undefined);
    }
  }, [open]);

  const trimmed = text.trim();
  const problem = reasonProblem(reason, trimmed);

  const confirm = async () => {
    setTouched(true);
    if (problem) {
      return;
    }
    setWorking(true);
    setError(undefined);
    try {
      await onConfirm(trimmed);
    } catch (e) {
      setError(backendMessage(e as Error));
    } finally {
      setWorking(false);
    }
  };

  const close = () => {
    if (!working) {
      onClose();
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="dataflex-reason-dialog-title"
    >
      <DialogTitle id="dataflex-reason-dialog-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText component="div">{description}</DialogContentText>
        {reason && (
          <TextField
            id="dataflex-reason-dialog-reason"
            label={reason.label}
            required={reason.required}
            fullWidth
            multiline
            minRows={2}
            value={text}
            disabled={working}
            onChange={e => setText(e.target.value)}
            onBlur={() => setTouched(true)}
            error={touched && problem !== undefined}
            helperText={
              (touched && problem) ||
              `${trimmed.length} / ${reason.maxLength} characters`
            }
          />
        )}
        {error && (
          <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={working}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={working}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

import { FormEvent, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import {
  discoveryApiRef,
  IdentityApi,
  useApi,
} from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { LocalSignInIdentity } from './LocalSignInIdentity';

/** The username and password form of the DataFlex local accounts. */
export function LocalSignInForm(props: {
  onSignInSuccess(identity: IdentityApi): void;
}) {
  const discoveryApi = useApi(discoveryApiRef);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const identity = await LocalSignInIdentity.signIn({
        discoveryApi,
        username,
        password,
      });
      props.onSignInSuccess(identity);
    } catch (e) {
      setError(messageOf(e));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Sign in with your DataFlex account">
      <form onSubmit={submit} aria-label="Sign in">
        <TextField
          id="dataflex-sign-in-username"
          label="Username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={e => setUsername(e.target.value)}
          required
          fullWidth
          margin="normal"
          variant="outlined"
        />
        <TextField
          id="dataflex-sign-in-password"
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={e => setPassword(e.target.value)}
          required
          fullWidth
          margin="normal"
          variant="outlined"
        />
        {error && (
          <Typography role="alert" color="error" variant="body2">
            {error}
          </Typography>
        )}
        <Button
          type="submit"
          color="primary"
          variant="contained"
          disabled={busy}
          style={{ marginTop: 16 }}
        >
          Sign in
        </Button>
      </form>
    </InfoCard>
  );
}

function messageOf(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body.error.message;
  }
  return 'The sign-in service could not be reached; try again in a moment.';
}

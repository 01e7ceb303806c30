import { useEffect, useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  UserIdentity,
} from '@backstage/core-components';
import {
  ApiRef,
  BackstageIdentityApi,
  configApiRef,
  discoveryApiRef,
  githubAuthApiRef,
  ProfileInfoApi,
  SessionApi,
  useApi,
  useApiHolder,
} from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { LocalSignInForm } from './LocalSignInForm';
import { LocalSignInIdentity } from './LocalSignInIdentity';
import { oidcAuthApiRef } from './oidcAuthApiRef';

type SsoApi = ProfileInfoApi & BackstageIdentityApi & SessionApi;

interface SsoProvider {
  id: string;
  title: string;
  message: string;
  apiRef: ApiRef<SsoApi>;
}

const SSO_PROVIDERS: Record<string, Omit<SsoProvider, 'id'>> = {
  oidc: {
    title: 'Single sign-on',
    message: 'Sign in with your organisation account.',
    apiRef: oidcAuthApiRef,
  },
  github: {
    title: 'GitHub',
    message: 'Sign in with your GitHub account.',
    apiRef: githubAuthApiRef,
  },
};

/**
 * The sign-in page. What it offers comes from `auth.signInPage.providers`:
 * the local username and password form in development, the SSO providers
 * in production. An existing session (the local cookie, or an SSO session)
 * signs in without asking.
 */
export function DataflexSignInPage(props: SignInPageProps) {
  const { onSignInSuccess } = props;
  const configApi = useApi(configApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const apis = useApiHolder();
  const [checking, setChecking] = useState(true);
  const [error, setError] = useState<string>();

  const configured = configApi.getOptionalStringArray(
    'auth.signInPage.providers',
  ) ?? ['local'];
  const local = configured.includes('local');
  const unknown = configured.filter(id => id !== 'local' && !SSO_PROVIDERS[id]);
  const sso: SsoProvider[] = configured
    .filter(id => SSO_PROVIDERS[id])
    .map(id => ({ id, ...SSO_PROVIDERS[id] }));

  const signInWith = async (provider: SsoProvider, instantPopup: boolean) => {
    const authApi = apis.get(provider.apiRef);
    if (!authApi) {
      throw new Error(`The ${provider.title} sign-in is not set up in the app`);
    }
    const response = await authApi.getBackstageIdentity(
      instantPopup ? { instantPopup: true } : { optional: true },
    );
    if (!response) {
      return false;
    }
    onSignInSuccess(
      UserIdentity.create({
        identity: response.identity,
        profile: await authApi.getProfile(),
        authApi,
      }),
    );
    return true;
  };

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        if (local) {
          const identity = await LocalSignInIdentity.restore({ discoveryApi });
          if (identity && !cancelled) {
            onSignInSuccess(identity);
            return;
          }
        }
        for (const provider of sso) {
          if (cancelled || (await signInWith(provider, false))) {
            return;
          }
        }
      } catch (e) {
        if (!cancelled) {
          setError((e as Error).message);
        }
      }
      if (!cancelled) {
        setChecking(false);
      }
    })();
    return () => {
      cancelled = true;
    };
    // Runs once: the providers come from static configuration.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (checking) {
    return <Progress />;
  }

  return (
    <Page themeId="home">
      <Header
        title={configApi.getOptionalString('app.title') ?? 'DataFlex'}
        subtitle="Sign in to browse and request datasets and services"
      />
      <Content>
        <Grid container spacing={3}>
          {error && (
            <Grid item xs={12}>
              <Typography role="alert" color="error">
                {error}
              </Typography>
            </Grid>
          )}
          {unknown.length > 0 && (
            <Grid item xs={12}>
              <Typography role="alert" color="error">
                Unknown sign-in providers in auth.signInPage.providers:{' '}
                {unknown.join(', ')}
              </Typography>
            </Grid>
          )}
          {local && (
            <Grid item xs={12} sm={8} md={5}>
              <LocalSignInForm onSignInSuccess={onSignInSuccess} />
            </Grid>
          )}
          {sso.map(provider => (
            <Grid item xs={12} sm={6} md={4} key={provider.id}>
              <InfoCard
                title={provider.title}
                actions={
                  <Button
                    color="primary"
                    variant="outlined"
                    onClick={() =>
                      signInWith(provider, true).catch(e =>
                        setError((e as Error).message),
                      )
                    }
                  >
                    Sign in
                  </Button>
                }
              >
                <Typography variant="body1">{provider.message}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}

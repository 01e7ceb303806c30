import { useCookieAuthRefresh } from '@backstage/plugin-auth-react';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';
import { backendMessage } from '../DatasetCard/backendMessage';

const CookieGate = (props: { children: (ready: boolean) => ReactNode }) => {
  const cookie = useCookieAuthRefresh({ pluginId: 'dataflex' });
  return (
    <>
      {cookie.status === 'error' && (
        <Alert
          severity="warning"
          action={
            <Button color="inherit" size="small" onClick={cookie.retry}>
              Retry
            </Button>
          }
        >
          Downloads are unavailable: {backendMessage(cookie.error)}
        </Alert>
      )}
      {props.children(cookie.status === 'success')}
    </>
  );
};

/**
 * Content downloads are plain links, so that big files stream to disk, and a
 * browser follows a link with its cookies only, never with the app's token.
 * While `enabled`, this gets DataFlex's user cookie and keeps it fresh, and
 * tells `children` once links will work.
 */
export const DownloadCookie = (props: {
  enabled: boolean;
  children: (ready: boolean) => ReactNode;
}) =>
  props.enabled ? (
    <CookieGate>{props.children}</CookieGate>
  ) : (
    <>{props.children(false)}</>
  );

import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';
import {
  ACCESS_SIGNAL_CHANNEL,
  AccessSignal,
} from '@dataflex/backstage-plugin-dataflex-common';

/**
 * Calls `onSignal` for every access signal that reaches the signed-in user.
 * Returns whether signals are available at all, so callers can say that
 * only the manual refresh works.
 */
export function useAccessSignal(onSignal: (signal: AccessSignal) => void): {
  isSignalsAvailable: boolean;
} {
  const { lastSignal, isSignalsAvailable } = useSignal<
    AccessSignal & { [key: string]: string | undefined }
  >(ACCESS_SIGNAL_CHANNEL);
  const callback = useRef(onSignal);
  callback.current = onSignal;

  useEffect(() => {
    if (lastSignal) {
      callback.current(lastSignal);
    }
  }, [lastSignal]);

  return { isSignalsAvailable };
}

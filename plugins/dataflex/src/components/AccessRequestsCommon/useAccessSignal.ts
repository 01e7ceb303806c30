import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/**
 * The signal channel on which the DataFlex backend announces access changes
 * to the people concerned (owners of the dataset, the requester, grantees).
 */
export const ACCESS_SIGNAL_CHANNEL = 'dataflex:access-requests';

/**
 * What a signal on {@link ACCESS_SIGNAL_CHANNEL} says. It names what changed,
 * never a justification or reason: the inbox fetches those itself.
 */
export interface AccessSignal {
  type:
    | 'request-created'
    | 'request-decided'
    | 'request-withdrawn'
    | 'grant-created'
    | 'grant-ended';
  /** Entity ref of the dataset. */
  dataset: string;
  requestId?: string;
  grantId?: string;
  status?: string;
}

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

import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { accessRequestsApiRef } from '../../api';
import { useAccessSignal } from '../AccessRequestsCommon';

const COUNT_LIMIT = 99;

/**
 * How many requests wait for the signed-in user's decision, as a badge shows
 * it ("99+" past 99; undefined while unknown or when none wait), kept current
 * by signals, and `refresh` for after the user's own decisions.
 */
export function usePendingApprovalsCount(): {
  count?: string;
  refresh: () => void;
} {
  const accessApi = useApi(accessRequestsApiRef);
  const { value, retry } = useAsyncRetry(async () => {
    const page = await accessApi.listAccessRequests({
      role: 'approver',
      status: 'pending',
      limit: COUNT_LIMIT,
    });
    if (page.items.length === 0) {
      return undefined;
    }
    return page.nextCursor ? `${COUNT_LIMIT}+` : String(page.items.length);
  }, [accessApi]);
  useAccessSignal(retry);
  return { count: value, refresh: retry };
}

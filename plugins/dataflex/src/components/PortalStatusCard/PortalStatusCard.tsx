import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { dataflexApiRef } from '../../api';
import { ComponentHealthList } from '../ComponentHealthList';

// One span: the card header lays its subheader out as flex items, which would
// drop the space between a bare text node and the <time> element.
const CheckedAt = ({ checkedAt }: { checkedAt: string }) => (
  <span>
    Checked at{' '}
    <time dateTime={checkedAt}>{new Date(checkedAt).toLocaleString()}</time>
  </span>
);

/**
 * Shows whether the DataFlex backend can reach its database and storage.
 */
export const PortalStatusCard = () => {
  const dataflexApi = useApi(dataflexApiRef);
  const {
    value: health,
    loading,
    error,
  } = useAsync(() => dataflexApi.getHealth(), [dataflexApi]);

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (health) {
    content = <ComponentHealthList components={health.components} />;
  }

  return (
    <InfoCard
      title="Portal status"
      subheader={health && <CheckedAt checkedAt={health.checkedAt} />}
    >
      {content}
    </InfoCard>
  );
};

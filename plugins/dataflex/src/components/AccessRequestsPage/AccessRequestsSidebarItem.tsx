import { SidebarItem } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Badge from '@material-ui/core/Badge';
import SecurityIcon from '@material-ui/icons/Security';
import { accessRouteRef } from '../../routes';
import { usePendingApprovalsCount } from './usePendingApprovalsCount';

/**
 * A sidebar item for the access page with the number of requests waiting
 * for the signed-in user's decision, like the notifications item's count.
 */
export const AccessRequestsSidebarItem = (props: { text?: string }) => {
  const link = useRouteRef(accessRouteRef);
  const { count } = usePendingApprovalsCount();
  const icon = () => (
    <Badge color="secondary" badgeContent={count} overlap="rectangular">
      <SecurityIcon />
    </Badge>
  );
  return (
    <SidebarItem
      icon={icon}
      to={count ? `${link()}?tab=approvals` : link()}
      text={props.text ?? 'Access requests'}
      aria-label={
        count
          ? `${
              props.text ?? 'Access requests'
            }, ${count} waiting for your decision`
          : undefined
      }
    />
  );
};

import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { rbacApiRef, RoleMapping } from '../../api';

type Role = RoleMapping['roles'][number];

const columns: TableColumn<Role>[] = [
  { title: 'Role', field: 'name' },
  { title: 'Who', field: 'who' },
  { title: 'May', field: 'may' },
];

/** The role mapping in effect, and how the policy sees the signed-in user. */
export const RolesCard = () => {
  const rbacApi = useApi(rbacApiRef);
  const { value, loading, error } = useAsync(
    () => rbacApi.getRoles(),
    [rbacApi],
  );

  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('No role mapping')} />;
  }
  return (
    <InfoCard title="Roles in effect">
      <Typography variant="body2" paragraph>
        Admins:{' '}
        {value.admins.length ? value.admins.join(', ') : 'none configured'}
      </Typography>
      <Typography variant="body2" paragraph>
        You are {value.you.userEntityRef},{' '}
        {value.you.isAdmin ? 'an admin' : 'not an admin'}; you own what these
        own: {value.you.claims.join(', ')}.
      </Typography>
      <Table<Role>
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={value.roles}
      />
    </InfoCard>
  );
};

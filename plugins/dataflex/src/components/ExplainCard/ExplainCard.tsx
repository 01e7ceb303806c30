import { FormEvent, useState } from 'react';
import {
  InfoCard,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { PermissionExplanation, rbacApiRef } from '../../api';

const columns: TableColumn<PermissionExplanation>[] = [
  { title: 'Permission', field: 'permission' },
  {
    title: 'Result',
    render: row =>
      row.allowed ? (
        <StatusOK>Allowed</StatusOK>
      ) : (
        <StatusError>Denied</StatusError>
      ),
  },
  { title: 'Why', render: row => row.reasons.join('; ') },
];

/**
 * "Why can't I see this?": explains, permission by permission, what a user
 * may do on an entity. Admins may ask about any user.
 */
export const ExplainCard = (props: { canAskForOthers: boolean }) => {
  const rbacApi = useApi(rbacApiRef);
  const [entityRef, setEntityRef] = useState('');
  const [userEntityRef, setUserEntityRef] = useState('');
  const [{ value, loading, error }, run] = useAsyncFn(
    () =>
      rbacApi.explain({
        entityRef: entityRef.trim(),
        userEntityRef: userEntityRef.trim() || undefined,
      }),
    [rbacApi, entityRef, userEntityRef],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run();
  };

  return (
    <InfoCard title="Why can't I see this?">
      <form onSubmit={submit} aria-label="Explain permissions">
        <Grid container spacing={2} alignItems="center">
          <Grid item xs={12} md={5}>
            <TextField
              id="dataflex-explain-entity"
              label="Entity"
              placeholder="dataset:default/customers"
              value={entityRef}
              onChange={e => setEntityRef(e.target.value)}
              required
              fullWidth
            />
          </Grid>
          {props.canAskForOthers && (
            <Grid item xs={12} md={4}>
              <TextField
                id="dataflex-explain-user"
                label="User (leave empty for yourself)"
                placeholder="user:default/student"
                value={userEntityRef}
                onChange={e => setUserEntityRef(e.target.value)}
                fullWidth
              />
            </Grid>
          )}
          <Grid item xs={12} md={3}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={loading}
            >
              Explain
            </Button>
          </Grid>
        </Grid>
      </form>
      {error && <ResponseErrorPanel error={error} />}
      {value && !error && (
        <Table<PermissionExplanation>
          title={`${value.user.userEntityRef} on ${value.entityRef}`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={columns}
          data={value.permissions}
        />
      )}
    </InfoCard>
  );
};

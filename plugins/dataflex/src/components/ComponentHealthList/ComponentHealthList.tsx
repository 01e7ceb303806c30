import { StatusError, StatusOK } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import {
  ComponentHealth,
  HealthResponse,
} from '@dataflex/backstage-plugin-dataflex-common';

type ComponentName = keyof HealthResponse['components'];

// Fixed order and labels, so the list does not depend on the order of keys
// in the backend's JSON.
const componentLabels: Record<ComponentName, string> = {
  database: 'Database',
  storage: 'Storage',
};

export interface ComponentHealthListProps {
  components: HealthResponse['components'];
}

const HealthIndicator = ({
  health,
  label,
}: {
  health: ComponentHealth;
  label: string;
}) =>
  health.status === 'ok' ? (
    <StatusOK>{label}</StatusOK>
  ) : (
    <StatusError>{label}</StatusError>
  );

/**
 * One row per dependency of the DataFlex backend, with its status, what kind
 * of system it is and how long the check took.
 */
export const ComponentHealthList = ({
  components,
}: ComponentHealthListProps) => (
  <List dense disablePadding>
    {(Object.keys(componentLabels) as ComponentName[]).map(name => {
      const health = components[name];
      return (
        <ListItem key={name} disableGutters>
          <ListItemText
            primary={
              <HealthIndicator health={health} label={componentLabels[name]} />
            }
            secondary={[
              `${health.kind}, ${health.latencyMs} ms`,
              health.message,
            ]
              .filter(Boolean)
              .join(' — ')}
          />
        </ListItem>
      );
    })}
  </List>
);

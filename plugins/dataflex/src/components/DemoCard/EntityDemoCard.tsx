import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { datasetsApiRef, DemoRunStats } from '../../api';
import { backendMessage, errorStatus } from '../DatasetCard/backendMessage';
import { DemoRowsTable } from './DemoRowsTable';

function runError(error: Error): string {
  const message = backendMessage(error);
  switch (errorStatus(error)) {
    case 429:
      return `You ran this demo too often; wait a minute and try again. (${message})`;
    case 503:
      return `Too many demos are running right now; try again shortly. (${message})`;
    default:
      return message;
  }
}

const Stats = ({ stats }: { stats: DemoRunStats }) => (
  <Typography variant="body2" color="textSecondary">
    Run {stats.runs} {stats.runs === 1 ? 'time' : 'times'}: {stats.succeeded}{' '}
    succeeded, {stats.failed} failed
    {stats.lastRunAt && (
      <>
        ; last run{' '}
        <time dateTime={stats.lastRunAt}>
          {new Date(stats.lastRunAt).toLocaleString()}
        </time>
      </>
    )}
  </Typography>
);

/**
 * "Try it": runs a service's demo on a masked sample of its input dataset
 * and shows the sample, the output, how long it took and what went wrong.
 */
export const EntityDemoCard = () => {
  const { entity } = useEntity();
  const datasetsApi = useApi(datasetsApiRef);
  const namespace = entity.metadata.namespace ?? 'default';
  const name = entity.metadata.name;
  // Bumped after each run so the counts include it.
  const [runsDone, setRunsDone] = useState(0);

  const stats = useAsync(
    () => datasetsApi.getDemoStats({ namespace, name }),
    [datasetsApi, namespace, name, runsDone],
  );

  const [run, startRun] = useAsyncFn(async () => {
    try {
      return await datasetsApi.runDemo({ namespace, name });
    } finally {
      setRunsDone(n => n + 1);
    }
  }, [datasetsApi, namespace, name]);

  const result = run.loading ? undefined : run.value;

  return (
    <InfoCard title="Try it">
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Button
          variant="contained"
          color="primary"
          startIcon={<PlayArrowIcon />}
          onClick={() => startRun()}
          disabled={run.loading}
        >
          {run.loading ? 'Running…' : 'Run demo'}
        </Button>
        <Box ml={2}>
          {stats.value && <Stats stats={stats.value} />}
          {stats.error && (
            <Typography variant="body2" color="textSecondary">
              Run counts unavailable: {backendMessage(stats.error)}
            </Typography>
          )}
        </Box>
      </Box>
      {run.loading && (
        <Box mt={2}>
          <LinearProgress aria-label="Demo running" />
        </Box>
      )}
      {!run.loading && run.error && (
        <Box mt={2}>
          <Alert severity="error">{runError(run.error)}</Alert>
        </Box>
      )}
      {result && (
        <>
          <Box mt={2}>
            <Typography variant="body2">
              Ran in {result.durationMs} ms with the{' '}
              <strong>{result.runner}</strong> runner on{' '}
              {result.input.rows.length} sample rows of{' '}
              <EntityRefLink
                entityRef={result.input.dataset}
                defaultKind="dataset"
              />{' '}
              version {result.input.version}.
            </Typography>
          </Box>
          <Box mt={2}>
            <Typography variant="h6" component="h3" gutterBottom>
              Sample input (masked)
            </Typography>
            <DemoRowsTable
              label="Sample input"
              columns={result.input.columns}
              rows={result.input.rows}
            />
          </Box>
          <Box mt={2}>
            <Typography variant="h6" component="h3" gutterBottom>
              Output
            </Typography>
            <DemoRowsTable
              label="Output"
              columns={result.output.columns}
              rows={result.output.rows}
            />
            {result.output.truncated && (
              <Box mt={1}>
                <Alert severity="info">
                  The demo returned more rows than are shown.
                </Alert>
              </Box>
            )}
          </Box>
        </>
      )}
    </InfoCard>
  );
};

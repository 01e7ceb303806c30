import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Dataset,
  DatasetEntityV1alpha1,
  DatasetRefParts,
  DatasetVersion,
  getDatasetVisibility,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import CloudDownloadIcon from '@material-ui/icons/CloudDownload';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { datasetsApiRef } from '../../api';
import { backendMessage, errorStatus } from './backendMessage';
import { DatasetPreviewGrid } from './DatasetPreviewGrid';
import { DatasetSchemaTable } from './DatasetSchemaTable';
import { DatasetUploadDialog } from './DatasetUploadDialog';
import { DatasetVersionsTable } from './DatasetVersionsTable';

const PREVIEW_ROWS = 20;

interface DatasetState {
  /** Absent while nothing was uploaded through DataFlex. */
  dataset?: Dataset;
  versions: DatasetVersion[];
  contentUrls: Map<number, string>;
}

const Section = (props: { title: string; children: ReactNode }) => (
  <Box mt={3}>
    <Typography variant="h6" component="h3" gutterBottom>
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

const Field = (props: { label: string; children: ReactNode }) => (
  <Box mr={4} mb={1}>
    <Typography variant="caption" color="textSecondary" component="div">
      {props.label}
    </Typography>
    <Typography variant="body2" component="div">
      {props.children}
    </Typography>
  </Box>
);

const NoContentAccess = () => (
  <Alert severity="info">You need access to see the content.</Alert>
);

const Preview = (props: { datasetRef: DatasetRefParts; version: number }) => {
  const datasetsApi = useApi(datasetsApiRef);
  const { datasetRef, version } = props;
  const { value, loading, error } = useAsync(
    () => datasetsApi.getPreview(datasetRef, version, { limit: PREVIEW_ROWS }),
    [datasetsApi, datasetRef.namespace, datasetRef.name, version],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    // The backend hides content it will not serve behind a 404.
    return errorStatus(error) === 404 ? (
      <NoContentAccess />
    ) : (
      <Alert severity="error">{backendMessage(error)}</Alert>
    );
  }
  return value ? <DatasetPreviewGrid preview={value} /> : null;
};

/**
 * The DataFlex view of a Dataset entity: metadata, schema with PII markers,
 * versions, a preview for those allowed to read the content, download, and
 * uploads for owners.
 */
export const EntityDatasetCard = () => {
  const { entity } = useEntity<DatasetEntityV1alpha1>();
  const datasetsApi = useApi(datasetsApiRef);
  const [uploadOpen, setUploadOpen] = useState(false);
  const namespace = entity.metadata.namespace ?? 'default';
  const name = entity.metadata.name;
  const datasetRef: DatasetRefParts = { namespace, name };

  const { value, loading, error, retry } =
    useAsyncRetry(async (): Promise<DatasetState> => {
      const ref = { namespace, name };
      let dataset: Dataset;
      try {
        dataset = await datasetsApi.getDataset(ref);
      } catch (e) {
        if (errorStatus(e as Error) === 404) {
          return { versions: [], contentUrls: new Map() };
        }
        throw e;
      }
      const versions =
        dataset.latestVersion === undefined
          ? []
          : (await datasetsApi.listVersions(ref)).items.sort(
              (a, b) => b.version - a.version,
            );
      const contentUrls = new Map<number, string>();
      if (dataset.access?.readContent) {
        for (const v of versions) {
          contentUrls.set(
            v.version,
            await datasetsApi.getContentUrl(ref, v.version),
          );
        }
      }
      return { dataset, versions, contentUrls };
    }, [datasetsApi, namespace, name]);

  if (loading && !value) {
    return (
      <InfoCard title="Dataset">
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard title="Dataset">
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  }

  const { dataset, versions, contentUrls } = value!;
  const latest = versions[0];
  const canRead = dataset?.access?.readContent === true;
  const canUpload = dataset?.access?.createVersion === true;
  const visibility = dataset?.visibility ?? getDatasetVisibility(entity);
  const format = latest?.format ?? entity.spec.format;
  const latestUrl = latest && contentUrls.get(latest.version);

  return (
    <InfoCard title="DataFlex dataset">
      <Box display="flex" flexWrap="wrap" alignItems="flex-start">
        <Field label="Visibility">
          <Chip
            size="small"
            label={visibility}
            color={visibility === 'private' ? 'secondary' : 'primary'}
          />
        </Field>
        <Field label="Format">{format ?? '—'}</Field>
        <Field label="Owner">
          <EntityRefLink
            entityRef={dataset?.owner ?? entity.spec.owner}
            defaultKind="group"
          />
        </Field>
        <Field label="Latest version">
          {latest
            ? `${latest.version}${
                latest.rowCount === undefined ? '' : `, ${latest.rowCount} rows`
              }`
            : 'none'}
        </Field>
        <Box flexGrow={1} />
        {latestUrl && (
          <Box mr={1}>
            <Button
              variant="outlined"
              startIcon={<CloudDownloadIcon />}
              href={latestUrl}
              download={latest.filename}
            >
              Download
            </Button>
          </Box>
        )}
        {canUpload && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<CloudUploadIcon />}
            onClick={() => setUploadOpen(true)}
          >
            Upload new version
          </Button>
        )}
      </Box>
      {!dataset && (
        <Typography variant="body2" color="textSecondary">
          Nothing has been uploaded to this dataset through DataFlex yet.
        </Typography>
      )}

      <Section title="Schema">
        <DatasetSchemaTable
          declared={entity.spec.schema?.columns ?? []}
          inferred={latest?.columns ?? []}
          masking={entity.spec.masking ?? []}
        />
      </Section>

      {dataset && (
        <Section title="Versions">
          <DatasetVersionsTable
            versions={versions}
            contentUrl={canRead ? v => contentUrls.get(v) ?? '' : undefined}
          />
        </Section>
      )}

      {latest && (
        <Section title="Preview">
          {canRead ? (
            <Preview datasetRef={datasetRef} version={latest.version} />
          ) : (
            <NoContentAccess />
          )}
        </Section>
      )}

      {canUpload && (
        <DatasetUploadDialog
          open={uploadOpen}
          datasetRef={datasetRef}
          onClose={() => setUploadOpen(false)}
          onUploaded={() => {
            setUploadOpen(false);
            retry();
          }}
        />
      )}
    </InfoCard>
  );
};

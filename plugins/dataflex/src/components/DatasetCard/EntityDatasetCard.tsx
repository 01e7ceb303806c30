import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Dataset,
  DatasetAccessSummary,
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
import { accessRequestsApiRef, datasetsApiRef } from '../../api';
import {
  DownloadCookie,
  grantCovers,
  useAccessSignal,
} from '../AccessRequestsCommon';
import { RequestAccessButton } from '../AccessRequestsDialog';
import { DatasetAccessPanel } from '../AccessRequestsPanel';
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
  /** Download links of the versions the caller may read. */
  contentUrls: Map<number, string>;
  /** The caller's standing; absent when the backend has none to give. */
  access?: DatasetAccessSummary;
  accessError?: Error;
}

/**
 * Whether the caller may read a version: owners, admins and everyone on an
 * open dataset read them all; others only what their grants cover.
 */
function mayRead(
  dataset: Dataset,
  access: DatasetAccessSummary | undefined,
  version: number,
): boolean {
  if (!dataset.access?.readContent) {
    return false;
  }
  if (!access || access.mayManage || dataset.visibility === 'open') {
    return true;
  }
  return access.grants.some(grant => grantCovers(grant, version));
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
  const accessApi = useApi(accessRequestsApiRef);
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
      let access: DatasetAccessSummary | undefined;
      let accessError: Error | undefined;
      try {
        access = await accessApi.getDatasetAccess(ref);
      } catch (e) {
        // The card still shows the dataset when its access standing cannot
        // be read; only the access controls are missing then.
        accessError = e as Error;
      }
      const versions =
        dataset.latestVersion === undefined
          ? []
          : (await datasetsApi.listVersions(ref)).items.sort(
              (a, b) => b.version - a.version,
            );
      const contentUrls = new Map<number, string>();
      for (const v of versions) {
        if (mayRead(dataset, access, v.version)) {
          contentUrls.set(
            v.version,
            await datasetsApi.getContentUrl(ref, v.version),
          );
        }
      }
      return { dataset, versions, contentUrls, access, accessError };
    }, [datasetsApi, accessApi, namespace, name]);

  // A decision, a grant or a revocation changes what the caller may read.
  useAccessSignal(signal => {
    if (signal.dataset === `dataset:${namespace}/${name}`) {
      retry();
    }
  });

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

  const { dataset, versions, contentUrls, access, accessError } = value!;
  const latest = versions[0];
  const canRead = contentUrls.size > 0;
  // The newest version the caller may read, which a grant may hold below
  // the latest.
  const readable = versions.find(v => contentUrls.has(v.version));
  const versionNumbers = versions.map(v => v.version);
  const canUpload = dataset?.access?.createVersion === true;
  const visibility = dataset?.visibility ?? getDatasetVisibility(entity);
  const format = latest?.format ?? entity.spec.format;
  const latestUrl = latest && contentUrls.get(latest.version);

  return (
    <DownloadCookie enabled={canRead}>
      {downloadsReady => (
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
                    latest.rowCount === undefined
                      ? ''
                      : `, ${latest.rowCount} rows`
                  }`
                : 'none'}
            </Field>
            <Box flexGrow={1} />
            {dataset && access && (
              <RequestAccessButton
                datasetRef={datasetRef}
                summary={access}
                versions={versionNumbers}
                onRequested={retry}
              />
            )}
            {latestUrl && downloadsReady && (
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
          {accessError && (
            <Alert severity="warning">
              Could not read your access to this dataset:{' '}
              {backendMessage(accessError)}
            </Alert>
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
                contentUrl={
                  canRead && downloadsReady
                    ? v => contentUrls.get(v)
                    : undefined
                }
              />
            </Section>
          )}

          {latest && (
            <Section title="Preview">
              {readable ? (
                <>
                  {readable !== latest && (
                    <Typography variant="body2" color="textSecondary" paragraph>
                      Version {readable.version}, the newest your access covers.
                    </Typography>
                  )}
                  <Preview datasetRef={datasetRef} version={readable.version} />
                </>
              ) : (
                <NoContentAccess />
              )}
            </Section>
          )}

          {dataset && access?.mayManage && (
            <Section title="Access">
              <DatasetAccessPanel
                datasetRef={datasetRef}
                versions={versionNumbers}
              />
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
      )}
    </DownloadCookie>
  );
};

import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import express from 'express';
import Router from 'express-promise-router';
import { AccessService } from '../access/AccessService';
import { registerAccessRoutes } from '../access/registerAccessRoutes';
import { createOpenApiRouter } from '../schema/openapi';
import { attachmentContentDisposition } from '../storage/attachmentContentDisposition';
import { DemoService } from '../demo/DemoService';
import { ProfileService } from '../profiles/ProfileService';
import { registerProfileRoutes } from '../profiles/registerProfileRoutes';
import { CatalogDatasetService } from './CatalogDatasetService';
import { CatalogLatestVersionService } from './CatalogLatestVersionService';
import { DatasetService, normalizeRef } from './DatasetService';
import { HealthService } from './HealthService';
import { VersionService } from './VersionService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  health: HealthService;
  datasets: DatasetService;
  catalogDatasets: CatalogDatasetService;
  catalogLatestVersions: CatalogLatestVersionService;
  versions: VersionService;
  blobStore: BlobStore;
  demos: DemoService;
  profiles: ProfileService;
  access: AccessService;
}

/**
 * The HTTP layer: who is asking, what they sent, and auditing of every
 * upload, download, preview, change and delete. Everything else happens in
 * the services.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, health, datasets, versions, blobStore, demos } =
    options;
  const router = Router();

  // Uploads are served outside the validated router: its OpenAPI validator
  // would parse multipart bodies itself, into memory.
  router.post('/datasets/:namespace/:name/versions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = normalizeRef(req.params);
    const event = await auditor.createEvent({
      eventId: 'dataset-upload',
      severityLevel: 'medium',
      request: req,
      meta: { dataset: datasetRef(ref) },
    });
    try {
      const { version } = await versions.upload(credentials, ref, req);
      await event.success({
        meta: {
          dataset: datasetRef(ref),
          version: version.version,
          sha256: version.sha256,
          size: version.size,
          format: version.format,
        },
      });
      res.status(201).json(version);
    } catch (error) {
      if (!req.complete) {
        // Do not keep reading an upload that has already failed.
        res.setHeader('Connection', 'close');
        req.resume();
      }
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  const api = await createOpenApiRouter({
    // httpAuth decides who is signed in (tokens, or the user cookie for
    // downloads); the validator checks shapes only.
    validatorOptions: { fileUploader: false, validateSecurity: false },
  });
  router.use(api);
  registerProfileRoutes(api, {
    httpAuth,
    auditor,
    profiles: options.profiles,
  });
  registerAccessRoutes(api, { httpAuth, auditor, access: options.access });

  api.get('/health', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const result = await health.check();
    res.status(result.status === 'ok' ? 200 : 503).json(result);
  });

  api.get('/catalog/datasets', async (req, res) => {
    // Lists private datasets too: only backend services, which apply
    // permissions themselves (the catalog does, to the entities), may ask.
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json(
      await options.catalogDatasets.list({
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
    );
  });

  api.get('/catalog/latest-versions', async (req, res) => {
    // Answers for private datasets too: backend services only (the catalog
    // puts it on the entities, which it shows by its own permission rules).
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json(
      // One `ref` arrives as a string, several as an array.
      await options.catalogLatestVersions.list([req.query.ref].flat()),
    );
  });

  api.get('/datasets', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await datasets.list(credentials, {
        limit: req.query.limit,
        cursor: req.query.cursor,
        // One `ref` arrives as a string, several as an array.
        refs: req.query.ref === undefined ? undefined : [req.query.ref].flat(),
      }),
    );
  });

  api.post('/datasets', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const created = await audited(
      await auditor.createEvent({
        eventId: 'dataset-create',
        severityLevel: 'medium',
        request: req,
        meta: {
          dataset: `dataset:${req.body.namespace ?? 'default'}/${
            req.body.name
          }`,
        },
      }),
      async () => {
        const dataset = await datasets.create(credentials, req.body);
        return {
          result: dataset,
          meta: {
            dataset: dataset.ref,
            owner: dataset.owner,
            visibility: dataset.visibility,
          },
        };
      },
    );
    res.status(201).json(created);
  });

  api.get('/datasets/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await datasets.get(credentials, normalizeRef(req.params)));
  });

  api.patch('/datasets/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = normalizeRef(req.params);
    const changesVisibility = req.body.visibility !== undefined;
    const updated = await audited(
      await auditor.createEvent({
        eventId: changesVisibility
          ? 'dataset-visibility-change'
          : 'dataset-update',
        severityLevel: changesVisibility ? 'high' : 'medium',
        request: req,
        meta: { dataset: datasetRef(ref), fields: Object.keys(req.body) },
      }),
      async () => {
        const { before, after } = await datasets.update(
          credentials,
          ref,
          req.body,
        );
        return {
          result: after,
          meta: {
            dataset: after.ref,
            visibility: { from: before.visibility, to: after.visibility },
            owner: { from: before.owner, to: after.owner },
          },
        };
      },
    );
    res.json(updated);
  });

  api.delete('/datasets/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = normalizeRef(req.params);
    await audited(
      await auditor.createEvent({
        eventId: 'dataset-delete',
        severityLevel: 'high',
        request: req,
        meta: { dataset: datasetRef(ref) },
      }),
      async () => {
        const deleted = await datasets.delete(credentials, ref);
        return {
          result: deleted,
          meta: { dataset: datasetRef(ref), owner: deleted.owner },
        };
      },
    );
    res.status(204).end();
  });

  api.get('/datasets/:namespace/:name/versions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await versions.list(credentials, normalizeRef(req.params), {
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
    );
  });

  api.get('/datasets/:namespace/:name/versions/:version', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await versions.get(
        credentials,
        normalizeRef(req.params),
        req.params.version,
      ),
    );
  });

  api.get(
    '/datasets/:namespace/:name/versions/:version/content',
    async (req, res) => {
      // Browsers follow plain download links with the user cookie only.
      const credentials = await httpAuth.credentials(req, {
        allow: ['user'],
        allowLimitedAccess: true,
      });
      const ref = normalizeRef(req.params);
      const event = await auditor.createEvent({
        eventId: 'dataset-download',
        severityLevel: 'medium',
        request: req,
        meta: { dataset: datasetRef(ref), version: req.params.version },
      });
      try {
        const version = await versions.getForDownload(
          credentials,
          ref,
          req.params.version,
        );
        const meta = {
          dataset: datasetRef(ref),
          version: version.version,
          sha256: version.sha256,
        };
        const url = await blobStore.getDownloadUrl?.(version.sha256, {
          filename: version.filename,
          contentType: version.mediaType,
        });
        if (url) {
          await event.success({ meta: { ...meta, via: 'redirect' } });
          res.setHeader('Cache-Control', 'no-store');
          res.redirect(302, url);
          return;
        }
        const content = await blobStore.open(version.sha256);
        res.status(200);
        res.setHeader('Content-Type', version.mediaType);
        res.setHeader('Content-Length', String(version.size));
        res.setHeader(
          'Content-Disposition',
          attachmentContentDisposition(version.filename),
        );
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'private, no-store');
        let sent = 0;
        const count = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            sent += chunk.length;
            callback(undefined, chunk);
          },
        });
        try {
          await pipeline(content, count, res);
        } catch (error) {
          // A client may hang up as soon as it has Content-Length bytes,
          // before the response has ended; only a short body is a failure.
          if (sent < version.size) {
            throw error;
          }
        }
        await event.success({ meta: { ...meta, via: 'stream' } });
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },
  );

  api.get(
    '/datasets/:namespace/:name/versions/:version/preview',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const ref = normalizeRef(req.params);
      const preview = await audited(
        await auditor.createEvent({
          eventId: 'dataset-preview',
          request: req,
          meta: { dataset: datasetRef(ref), version: req.params.version },
        }),
        async () => {
          const result = await versions.preview(
            credentials,
            ref,
            req.params.version,
            req.query.limit,
          );
          return {
            result,
            meta: {
              dataset: datasetRef(ref),
              version: result.version,
              rows: result.rows.length,
              masked: result.columns.filter(c => c.masked).map(c => c.name),
            },
          };
        },
      );
      res.json(preview);
    },
  );

  api.post('/demos/:namespace/:name/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = normalizeRef(req.params);
    const service = `component:${ref.namespace}/${ref.name}`;
    // Stop the demo when the caller goes away.
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const run = await audited(
      await auditor.createEvent({
        eventId: 'demo-run',
        severityLevel: 'low',
        request: req,
        meta: { service },
      }),
      async () => {
        const result = await demos.run(credentials, ref, abort.signal);
        return {
          result,
          meta: {
            service,
            runner: result.runner,
            input: `${result.input.dataset}@${result.input.version}`,
            rowsIn: result.input.rows.length,
            rowsOut: result.output.rows.length,
            durationMs: result.durationMs,
          },
        };
      },
    );
    res.json(run);
  });

  api.get('/demos/:namespace/:name/stats', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await demos.stats(credentials, normalizeRef(req.params)));
  });

  return router;
}

function datasetRef(ref: { namespace: string; name: string }): string {
  return `dataset:${ref.namespace}/${ref.name}`;
}

async function audited<T>(
  event: AuditorServiceEvent,
  action: () => Promise<{ result: T; meta: JsonObject }>,
): Promise<T> {
  try {
    const { result, meta } = await action();
    await event.success({ meta });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

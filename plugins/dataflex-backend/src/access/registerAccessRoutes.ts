import {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Response } from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { normalizeRef } from '../service/DatasetService';
import {
  AccessChange,
  AccessRequestCooldownError,
  AccessService,
} from './AccessService';
import { auditCsvHeader, auditCsvRow } from './auditCsv';

export interface AccessRoutesOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  access: AccessService;
}

/**
 * The access request and grant routes, on the plugin's OpenAPI-validated
 * router. Every state change is audited; the audit meta carries ids, refs,
 * scopes and lengths, never the justification, the answers to the dataset's
 * fields or a reason (people's own words, kept in the database for those
 * allowed to read them).
 */
export function registerAccessRoutes(
  api: Awaited<ReturnType<typeof createOpenApiRouter>>,
  options: AccessRoutesOptions,
) {
  const { httpAuth, auditor, access } = options;

  api.get('/catalog/grantees', async (req, res) => {
    // Names private datasets and who holds them: backend services only
    // (the catalog, which applies permissions to the entities itself).
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json(
      await access.listGrantees({
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
    );
  });

  api.get('/datasets/:namespace/:name/access', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await access.summary(credentials, normalizeRef(req.params)));
  });

  api.post('/datasets/:namespace/:name/access-requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = normalizeRef(req.params);
    try {
      const request = await audited(
        await auditor.createEvent({
          eventId: 'access-request-create',
          severityLevel: 'medium',
          request: req,
          meta: { dataset: datasetRef(ref) },
        }),
        () => access.createRequest(credentials, ref, req.body),
      );
      res.status(201).json(request);
    } catch (error) {
      if (error instanceof AccessRequestCooldownError) {
        res.setHeader(
          'Retry-After',
          String(
            Math.max(
              1,
              Math.ceil((error.retryAfter.getTime() - Date.now()) / 1000),
            ),
          ),
        );
      }
      throw error;
    }
  });

  api.get('/access-requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await access.listRequests(credentials, {
        role: req.query.role,
        status: req.query.status,
        dataset: req.query.dataset,
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
    );
  });

  api.get('/access-requests/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await access.getRequest(credentials, req.params.id));
  });

  api.post('/access-requests/:id/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const decision = req.body?.decision;
    res.json(
      await audited(
        await auditor.createEvent({
          eventId: 'access-request-decide',
          severityLevel: decision === 'approve' ? 'high' : 'medium',
          request: req,
          meta: { requestId: req.params.id, decision },
        }),
        () => access.decide(credentials, req.params.id, req.body),
      ),
    );
  });

  api.post('/access-requests/:id/withdraw', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await audited(
        await auditor.createEvent({
          eventId: 'access-request-withdraw',
          severityLevel: 'low',
          request: req,
          meta: { requestId: req.params.id },
        }),
        () => access.withdraw(credentials, req.params.id),
      ),
    );
  });

  api.get('/datasets/:namespace/:name/grants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await access.listDatasetGrants(credentials, normalizeRef(req.params), {
        status: req.query.status,
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
    );
  });

  api.post('/datasets/:namespace/:name/grants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = normalizeRef(req.params);
    const grant = await audited(
      await auditor.createEvent({
        eventId: 'access-grant-create',
        severityLevel: 'high',
        request: req,
        meta: { dataset: datasetRef(ref) },
      }),
      () => access.createGrant(credentials, ref, req.body),
    );
    res.status(201).json(grant);
  });

  api.get('/grants', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await access.listOwnGrants(credentials, {
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
    );
  });

  api.post('/grants/:id/revoke', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(
      await audited(
        await auditor.createEvent({
          eventId: 'access-grant-revoke',
          severityLevel: 'high',
          request: req,
          meta: { grantId: req.params.id },
        }),
        () => access.revokeGrant(credentials, req.params.id, req.body),
      ),
    );
  });

  api.get('/datasets/:namespace/:name/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = normalizeRef(req.params);
    if (wantsCsv(req.query.format, req.accepts.bind(req))) {
      await sendCsv(
        res,
        ref,
        await access.auditAll(credentials, ref),
        await auditor.createEvent({
          eventId: 'access-audit-export',
          severityLevel: 'low',
          request: req,
          meta: { dataset: datasetRef(ref) },
        }),
      );
      return;
    }
    res.json(
      await access.audit(credentials, ref, {
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
    );
  });
}

/** `?format=` decides; without it, an `Accept: text/csv` header. */
function wantsCsv(
  format: 'json' | 'csv' | undefined,
  accepts: (types: string[]) => string | false,
): boolean {
  if (format !== undefined) {
    return format === 'csv';
  }
  return accepts(['application/json', 'text/csv']) === 'text/csv';
}

async function sendCsv(
  res: Response,
  ref: { namespace: string; name: string },
  pages: AsyncIterable<Parameters<typeof auditCsvRow>[0][]>,
  event: AuditorServiceEvent,
) {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${ref.namespace}-${ref.name}-access-log.csv"`,
  );
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  let rows = 0;
  try {
    res.write(auditCsvHeader());
    for await (const page of pages) {
      for (const entry of page) {
        if (!res.write(auditCsvRow(entry))) {
          await new Promise(resolve => res.once('drain', resolve));
        }
        rows++;
      }
    }
    res.end();
    await event.success({ meta: { dataset: datasetRef(ref), rows } });
  } catch (error) {
    await event.fail({ error: error as Error });
    // Headers are gone; a cut-off body is all a client can be told.
    res.destroy(error as Error);
  }
}

function datasetRef(ref: { namespace: string; name: string }): string {
  return `dataset:${ref.namespace}/${ref.name}`;
}

async function audited<T>(
  event: AuditorServiceEvent,
  action: () => Promise<AccessChange<T>>,
): Promise<T> {
  try {
    const { result, meta } = await action();
    await event.success({
      meta: Object.fromEntries(
        Object.entries(meta).filter(([, v]) => v !== undefined),
      ) as JsonObject,
    });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

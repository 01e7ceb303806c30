import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  accessTestBackendOptions,
  accessTestOrganisation,
  ANIL,
  CARLOS,
  MEI,
  PRIYA,
  STUDENT,
} from './__testUtils__/accessTestOrganisation';
import {
  asCatalogService,
  asUser,
  startDataflexTestBackend,
} from '../__testUtils__/startDataflexTestBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const customers: Entity = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: {
    name: 'customers',
    namespace: 'default',
    annotations: { 'dataflex.io/access-request-fields': 'purpose, project' },
  },
  spec: {
    owner: 'data-platform',
    lifecycle: 'production',
    visibility: 'public',
  },
};

const V1 = 'customer_id,country\nC1,DE\nC2,FR\n';
const V2 = 'customer_id,country\nC1,DE\nC2,FR\nC3,NL\n';

const justification = 'Master thesis on churn; I need the country mix.';
const fields = { purpose: 'research', project: 'thesis-2027' };

/** Fetches a download, following nothing, and returns status and bytes. */
async function download(
  server: Parameters<typeof request>[0],
  user: string,
  dataset: string,
  version: number | 'latest',
) {
  const res = await request(server)
    .get(
      `/api/dataflex/datasets/default/${dataset}/versions/${version}/content`,
    )
    .set('Authorization', asUser(user))
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  return { status: res.status, body: res.body as Buffer };
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return read();
}

describe.each(databases.eachSupportedId())(
  'access requests (%s)',
  databaseId => {
    let dir: string;

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-access-'));
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    async function start(accessRequests?: { cooldown: string }) {
      const backend = await startDataflexTestBackend({
        ...accessTestBackendOptions,
        blobDirectory: dir,
        entities: [customers],
        knex: await databases.init(databaseId),
        dataflexConfig: accessRequests && { accessRequests },
      });
      await backend.uploadVersion(ANIL, 'customers', V1);
      await backend.uploadVersion(ANIL, 'customers', V2);
      return backend;
    }

    async function ask(
      server: Parameters<typeof request>[0],
      user: string,
      body: object = { justification, scope: 'version', version: 1, fields },
      dataset = 'customers',
    ) {
      return request(server)
        .post(`/api/dataflex/datasets/default/${dataset}/access-requests`)
        .set('Authorization', asUser(user))
        .send(body);
    }

    async function decide(
      server: Parameters<typeof request>[0],
      user: string,
      id: string,
      body: object,
    ) {
      return request(server)
        .post(`/api/dataflex/access-requests/${id}/decision`)
        .set('Authorization', asUser(user))
        .send(body);
    }

    it('walks the whole story: request, owners notified, approve, download the granted version, revoke', async () => {
      const { server, auditEvents, publishedEvents } = await start();

      // Public dataset: the student sees it but may not read its content.
      expect((await download(server, STUDENT, 'customers', 1)).status).toBe(
        404,
      );
      const before = await request(server)
        .get('/api/dataflex/datasets/default/customers/access')
        .set('Authorization', asUser(STUDENT));
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({
        dataset: 'dataset:default/customers',
        mayRequest: true,
        mayManage: false,
        readContent: false,
        requestFields: ['purpose', 'project'],
        grants: [],
      });

      const asked = await ask(server, STUDENT);
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({
        dataset: 'dataset:default/customers',
        requester: STUDENT,
        justification,
        fields,
        scope: 'version',
        version: 1,
        status: 'pending',
      });
      expect(asked.body.owner).toBeUndefined();
      const id = asked.body.id;

      // Both owners are notified through the notifications backend; the
      // student, who asked, is not.
      for (const owner of [ANIL, PRIYA]) {
        const inbox = await waitFor(
          () =>
            request(server)
              .get('/api/notifications')
              .set('Authorization', asUser(owner)),
          res => res.body.totalCount > 0,
        );
        expect(inbox.status).toBe(200);
        expect(inbox.body.notifications).toEqual([
          expect.objectContaining({
            user: owner,
            origin: 'plugin:dataflex',
            payload: expect.objectContaining({
              title: 'Access request for dataset default/customers',
              link: '/dataflex/access?tab=approvals&dataset=dataset%3Adefault%2Fcustomers',
              topic: 'DataFlex access',
            }),
          }),
        ]);
        expect(JSON.stringify(inbox.body)).not.toContain('thesis');
      }
      const studentBell = await request(server)
        .get('/api/notifications')
        .set('Authorization', asUser(STUDENT));
      expect(studentBell.body.totalCount).toBe(0);
      // A signal for live inboxes, addressed to the owning group.
      expect(publishedEvents).toContainEqual(
        expect.objectContaining({
          topic: 'signals',
          eventPayload: expect.objectContaining({
            channel: 'dataflex:access-requests',
            recipients: {
              type: 'user',
              entityRef: ['group:default/data-platform'],
            },
            message: expect.objectContaining({
              type: 'request-created',
              requestId: id,
            }),
          }),
        }),
      );

      // The student sees it pending; the other owner sees it to approve.
      const mine = await request(server)
        .get('/api/dataflex/access-requests?status=pending')
        .set('Authorization', asUser(STUDENT));
      expect(mine.body.items.map((r: any) => r.id)).toEqual([id]);
      const toApprove = await request(server)
        .get('/api/dataflex/access-requests?role=approver&status=pending')
        .set('Authorization', asUser(PRIYA));
      expect(toApprove.body.items).toEqual([
        expect.objectContaining({
          id,
          owner: 'group:default/data-platform',
          justification,
        }),
      ]);
      const outsider = await request(server)
        .get('/api/dataflex/access-requests?role=approver')
        .set('Authorization', asUser(CARLOS));
      expect(outsider.body.items).toEqual([]);
      expect(
        (
          await request(server)
            .get(`/api/dataflex/access-requests/${id}`)
            .set('Authorization', asUser(CARLOS))
        ).status,
      ).toBe(404);

      const approved = await decide(server, PRIYA, id, {
        decision: 'approve',
        reason: 'Fine for a thesis',
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        decidedBy: PRIYA,
        decisionReason: 'Fine for a thesis',
        grantId: expect.any(String),
      });

      // The download works right away, byte for byte, for the granted version.
      const got = await download(server, STUDENT, 'customers', 1);
      expect(got.status).toBe(200);
      expect(got.body.equals(Buffer.from(V1))).toBe(true);
      const preview = await request(server)
        .get('/api/dataflex/datasets/default/customers/versions/1/preview')
        .set('Authorization', asUser(STUDENT));
      expect(preview.status).toBe(200);
      // ...and only that version: a grant for version 1 does not open 2.
      expect((await download(server, STUDENT, 'customers', 2)).status).toBe(
        404,
      );
      expect(
        (await download(server, STUDENT, 'customers', 'latest')).status,
      ).toBe(404);
      expect(
        (
          await request(server)
            .get('/api/dataflex/datasets/default/customers/versions/2/preview')
            .set('Authorization', asUser(STUDENT))
        ).status,
      ).toBe(404);

      const summary = await request(server)
        .get('/api/dataflex/datasets/default/customers/access')
        .set('Authorization', asUser(STUDENT));
      expect(summary.body).toMatchObject({
        readContent: true,
        grants: [
          {
            id: approved.body.grantId,
            grantee: STUDENT,
            fromVersion: 1,
            toVersion: 1,
            status: 'active',
            requestId: id,
          },
        ],
      });
      const own = await request(server)
        .get('/api/dataflex/grants')
        .set('Authorization', asUser(STUDENT));
      expect(own.body.items.map((g: any) => g.id)).toEqual([
        approved.body.grantId,
      ]);
      const studentNotified = await waitFor(
        () =>
          request(server)
            .get('/api/notifications')
            .set('Authorization', asUser(STUDENT)),
        res => res.body.totalCount > 0,
      );
      expect(studentNotified.body.notifications[0].payload).toMatchObject({
        title: 'Your access request for default/customers was approved',
        link: '/catalog/default/dataset/customers',
      });

      // The holder sees the dataset, but only its owners end the grant.
      const byHolder = await request(server)
        .post(`/api/dataflex/grants/${approved.body.grantId}/revoke`)
        .set('Authorization', asUser(STUDENT))
        .send({});
      expect(byHolder.status).toBe(403);
      expect(byHolder.body.error.message).toBe(
        "Only the owners of dataset 'default/customers' (group:default/data-platform) or an admin may revoke its grants",
      );

      const revoked = await request(server)
        .post(`/api/dataflex/grants/${approved.body.grantId}/revoke`)
        .set('Authorization', asUser(ANIL))
        .send({ reason: 'Thesis submitted' });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        status: 'revoked',
        revokedBy: ANIL,
        revokeReason: 'Thesis submitted',
      });
      // Revocation works on the very next request.
      expect((await download(server, STUDENT, 'customers', 1)).status).toBe(
        404,
      );
      const again = await request(server)
        .post(`/api/dataflex/grants/${approved.body.grantId}/revoke`)
        .set('Authorization', asUser(PRIYA))
        .send({});
      expect(again.status).toBe(409);

      // Owners see the whole story in the access log, and as CSV.
      const log = await request(server)
        .get('/api/dataflex/datasets/default/customers/audit')
        .set('Authorization', asUser(ANIL));
      expect(log.status).toBe(200);
      expect(log.body.items.map((e: any) => [e.action, e.actor])).toEqual([
        ['revoked', ANIL],
        ['downloaded', STUDENT],
        ['approved', PRIYA],
        ['requested', STUDENT],
      ]);
      expect(log.body.items[1]).toMatchObject({ version: 1, subject: STUDENT });
      const csv = await request(server)
        .get('/api/dataflex/datasets/default/customers/audit')
        .set('Authorization', asUser(ANIL))
        .set('Accept', 'text/csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(
        parseCsv(csv.text, { columns: true }).map((r: any) => r.action),
      ).toEqual(['revoked', 'downloaded', 'approved', 'requested']);
      expect(
        (
          await request(server)
            .get('/api/dataflex/datasets/default/customers/audit?format=csv')
            .set('Authorization', asUser(STUDENT))
        ).status,
      ).toBe(403);

      // Every change audited, without the justification.
      for (const eventId of [
        'access-request-create',
        'access-request-decide',
        'access-grant-revoke',
      ]) {
        expect(auditEvents).toContainEqual(
          expect.objectContaining({ eventId, status: 'succeeded' }),
        );
      }
      expect(JSON.stringify(auditEvents)).not.toContain('thesis');
      // ...and published as events, without it either.
      const topics = await waitFor(
        async () => publishedEvents.map(e => e.topic),
        seen => seen.includes('dataflex.access.revoked'),
      );
      expect(topics).toEqual(
        expect.arrayContaining([
          'dataflex.access.requested',
          'dataflex.access.approved',
          'dataflex.access.revoked',
        ]),
      );
      const approvedEvent = publishedEvents.find(
        e => e.topic === 'dataflex.access.approved',
      );
      expect(approvedEvent?.eventPayload).toMatchObject({
        actor: PRIYA,
        subject: 'dataset:default/customers',
        data: {
          grant: { grantee: STUDENT, fromVersion: 1, toVersion: 1 },
          request: { id, requester: STUDENT, status: 'approved' },
        },
      });
      expect(
        JSON.stringify(
          publishedEvents.filter(e => e.topic.startsWith('dataflex')),
        ),
      ).not.toMatch(/thesis|research|Fine for a thesis/i);
    });

    it('refuses self-approval, even by an owner or admin, and decisions by outsiders', async () => {
      const { server } = await start();
      const asked = await ask(server, STUDENT);
      expect(asked.status).toBe(201);

      const byOutsider = await decide(server, CARLOS, asked.body.id, {
        decision: 'approve',
      });
      // As when reading it: outsiders do not learn the request exists.
      expect(byOutsider.status).toBe(404);
      expect(byOutsider.body.error.message).toBe(
        `No access request ${asked.body.id}`,
      );

      const self = await decide(server, STUDENT, asked.body.id, {
        decision: 'approve',
      });
      expect(self.status).toBe(403);

      // An admin who asked, while still a viewer, cannot approve it later.
      const adminAsked = await ask(server, MEI);
      expect(adminAsked.status).toBe(201);
      accessTestOrganisation.users[MEI].push(
        'group:default/portal-admins',
        'group:default/data-platform',
      );
      try {
        const own = await decide(server, MEI, adminAsked.body.id, {
          decision: 'approve',
        });
        expect(own.status).toBe(403);
        expect(own.body.error.message).toBe(
          'You cannot decide your own access request, not even as an owner or admin; another owner or an admin must decide it',
        );
        // Yet as an admin they decide other people's requests.
        const other = await decide(server, MEI, asked.body.id, {
          decision: 'reject',
          reason: 'Use the anonymised extract',
        });
        expect(other.status).toBe(200);
      } finally {
        accessTestOrganisation.users[MEI].splice(1);
      }

      const noReason = await decide(server, ANIL, adminAsked.body.id, {
        decision: 'reject',
      });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toBe(
        'reason: say why the request is rejected',
      );
    });

    it('lets exactly one of two owners deciding at once through; the other gets 409', async () => {
      const { server } = await start();
      const asked = await ask(server, STUDENT);
      const [a, b] = await Promise.all([
        decide(server, ANIL, asked.body.id, { decision: 'approve' }),
        decide(server, PRIYA, asked.body.id, {
          decision: 'reject',
          reason: 'Not for theses',
        }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      const winner = a.status === 200 ? a : b;
      expect(loser.body.error.message).toBe(
        `This request for dataset 'default/customers' was already ${winner.body.status} by ${winner.body.decidedBy} on ${winner.body.decidedAt}`,
      );
      const grants = await request(server)
        .get('/api/dataflex/datasets/default/customers/grants')
        .set('Authorization', asUser(ANIL));
      expect(grants.body.items).toHaveLength(
        winner.body.status === 'approved' ? 1 : 0,
      );
    });

    it('refuses a duplicate pending request, a missing field, and enforces the cooldown after a rejection', async () => {
      const { server } = await start({ cooldown: 'PT2S' });

      const missing = await ask(server, STUDENT, {
        justification,
        scope: 'version',
        fields: { purpose: 'research' },
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toBe(
        "fields.project: required by dataset 'default/customers'",
      );
      const unknown = await ask(server, STUDENT, {
        justification,
        scope: 'version',
        fields: { ...fields, budget: '1' },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        "fields.budget: dataset 'default/customers' asks for no such field; it asks for purpose, project",
      );
      const blank = await ask(server, STUDENT, {
        justification: '   ',
        scope: 'version',
        fields,
      });
      expect(blank.status).toBe(400);
      expect(blank.body.error.message).toBe('justification: must not be empty');
      const tooLong = await ask(server, STUDENT, {
        justification: 'x'.repeat(2001),
        scope: 'version',
        fields,
      });
      expect(tooLong.status).toBe(400);
      const noVersion = await ask(server, STUDENT, {
        justification,
        scope: 'version',
        version: 9,
        fields,
      });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.error.message).toBe(
        "version: dataset 'default/customers' has no version 9; its latest is 2",
      );

      const first = await ask(server, STUDENT, {
        justification,
        scope: 'version-and-later',
        fields,
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        scope: 'version-and-later',
        version: 2,
      });
      const duplicate = await ask(server, STUDENT);
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.message).toMatch(
        /^You already asked for access to dataset 'default\/customers' on .+; wait for its owners to decide, or withdraw that request first$/,
      );

      const rejected = await decide(server, ANIL, first.body.id, {
        decision: 'reject',
        reason: 'Ask your supervisor to request it',
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body.retryAfter).toBeDefined();

      const tooSoon = await ask(server, STUDENT);
      expect(tooSoon.status).toBe(429);
      expect(tooSoon.headers['retry-after']).toMatch(/^[12]$/);
      expect(tooSoon.body.error.message).toBe(
        `Your last request for dataset 'default/customers' was rejected on ${rejected.body.decidedAt}; you may ask again from ${rejected.body.retryAfter}`,
      );
      const summary = await request(server)
        .get('/api/dataflex/datasets/default/customers/access')
        .set('Authorization', asUser(STUDENT));
      expect(summary.body).toMatchObject({
        mayRequest: false,
        retryAfter: rejected.body.retryAfter,
      });

      await new Promise(resolve =>
        setTimeout(
          resolve,
          new Date(rejected.body.retryAfter).getTime() - Date.now() + 50,
        ),
      );
      const later = await ask(server, STUDENT);
      expect(later.status).toBe(201);

      // The requester may withdraw a pending request, once.
      const withdrawn = await request(server)
        .post(`/api/dataflex/access-requests/${later.body.id}/withdraw`)
        .set('Authorization', asUser(STUDENT));
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.status).toBe('withdrawn');
      const decideWithdrawn = await decide(server, ANIL, later.body.id, {
        decision: 'approve',
      });
      expect(decideWithdrawn.status).toBe(409);
    });

    it('stops an expired grant from working, and records its expiry once', async () => {
      const { server, publishedEvents, runTask } = await start();
      const endsAt = new Date(Date.now() + 1500).toISOString();
      const granted = await request(server)
        .post('/api/dataflex/datasets/default/customers/grants')
        .set('Authorization', asUser(ANIL))
        .send({ grantee: STUDENT, fromVersion: 2, endsAt });
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({
        grantee: STUDENT,
        fromVersion: 2,
        endsAt,
        status: 'active',
      });
      expect((await download(server, STUDENT, 'customers', 2)).status).toBe(
        200,
      );
      expect((await download(server, STUDENT, 'customers', 1)).status).toBe(
        404,
      );

      await new Promise(resolve =>
        setTimeout(resolve, new Date(endsAt).getTime() - Date.now() + 50),
      );
      // Past its end the grant no longer works, before the task has run.
      expect((await download(server, STUDENT, 'customers', 2)).status).toBe(
        404,
      );

      await runTask('dataflex-access-grant-expiry');
      await runTask('dataflex-access-grant-expiry');
      const expiredEvents = await waitFor(
        async () =>
          publishedEvents.filter(e => e.topic === 'dataflex.access.expired'),
        events => events.length > 0,
      );
      expect(expiredEvents).toHaveLength(1);
      expect(expiredEvents[0].eventPayload).toMatchObject({
        actor: 'plugin:dataflex',
        data: { grant: { id: granted.body.id, grantee: STUDENT } },
      });
      const grants = await request(server)
        .get('/api/dataflex/datasets/default/customers/grants?status=expired')
        .set('Authorization', asUser(PRIYA));
      expect(grants.body.items).toEqual([
        expect.objectContaining({
          id: granted.body.id,
          status: 'expired',
          expiredAt: expect.any(String),
        }),
      ]);
      const revoke = await request(server)
        .post(`/api/dataflex/grants/${granted.body.id}/revoke`)
        .set('Authorization', asUser(ANIL));
      expect(revoke.status).toBe(409);
      expect(revoke.body.error.message).toBe(
        `This grant already ended on ${endsAt}`,
      );
    });

    it('keeps a private dataset invisible to everyone but owners until a direct grant, which also works for a group', async () => {
      const { server, uploadVersion } = await start();
      const created = await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', asUser(ANIL))
        .send({ name: 'ledger', owner: 'group:default/data-platform' });
      expect(created.status).toBe(201);
      await uploadVersion(ANIL, 'ledger', 'account,amount\nA1,10\n');

      const hidden = async (user: string) => {
        const get = await request(server)
          .get('/api/dataflex/datasets/default/ledger')
          .set('Authorization', asUser(user));
        const list = await request(server)
          .get('/api/dataflex/datasets')
          .set('Authorization', asUser(user));
        const access = await request(server)
          .get('/api/dataflex/datasets/default/ledger/access')
          .set('Authorization', asUser(user));
        const asked = await ask(server, user, undefined, 'ledger');
        return {
          get: get.status,
          listed: list.body.items.some((d: any) => d.name === 'ledger'),
          access: access.status,
          ask: asked.status,
        };
      };
      expect(await hidden(STUDENT)).toEqual({
        get: 404,
        listed: false,
        access: 404,
        ask: 404,
      });
      expect(await hidden(MEI)).toEqual({
        get: 404,
        listed: false,
        access: 404,
        ask: 404,
      });

      // Outsiders cannot grant; owners can, to a user or a group.
      const byOutsider = await request(server)
        .post('/api/dataflex/datasets/default/ledger/grants')
        .set('Authorization', asUser(CARLOS))
        .send({ grantee: CARLOS });
      expect(byOutsider.status).toBe(404);
      const badGrantee = await request(server)
        .post('/api/dataflex/datasets/default/ledger/grants')
        .set('Authorization', asUser(ANIL))
        .send({ grantee: 'component:default/x' });
      expect(badGrantee.status).toBe(400);
      expect(badGrantee.body.error.message).toBe(
        'grantee: must be a user or group, not a component',
      );
      const nobody = await request(server)
        .post('/api/dataflex/datasets/default/ledger/grants')
        .set('Authorization', asUser(ANIL))
        .send({ grantee: 'user:default/nobody' });
      expect(nobody.status).toBe(400);

      const toGroup = await request(server)
        .post('/api/dataflex/datasets/default/ledger/grants')
        .set('Authorization', asUser(ANIL))
        .send({ grantee: 'group:default/ml-platform' });
      expect(toGroup.status).toBe(201);

      const mei = await request(server)
        .get('/api/dataflex/datasets/default/ledger')
        .set('Authorization', asUser(MEI));
      expect(mei.status).toBe(200);
      expect(mei.body.access).toMatchObject({
        readContent: true,
        update: false,
        manageAccess: false,
      });
      const listed = await request(server)
        .get('/api/dataflex/datasets')
        .set('Authorization', asUser(MEI));
      expect(listed.body.items.map((d: any) => d.name)).toContain('ledger');
      const got = await download(server, MEI, 'ledger', 1);
      expect(got.status).toBe(200);
      expect(got.body.toString()).toBe('account,amount\nA1,10\n');
      // Private datasets take no requests, even from those who may see them.
      expect((await ask(server, MEI, undefined, 'ledger')).status).toBe(403);
      // The student, outside the group, still sees nothing.
      expect((await hidden(STUDENT)).get).toBe(404);

      // The catalog learns who holds grants (service tokens only).
      const grantees = await request(server)
        .get('/api/dataflex/catalog/grantees')
        .set('Authorization', asCatalogService());
      expect(grantees.status).toBe(200);
      expect(grantees.body).toEqual({
        items: [
          {
            entityRef: 'dataset:default/ledger',
            grantees: ['group:default/ml-platform'],
          },
        ],
      });
      expect(
        (
          await request(server)
            .get('/api/dataflex/catalog/grantees')
            .set('Authorization', asUser(ANIL))
        ).status,
      ).toBe(403);
    });

    it('asks for a token on every route', async () => {
      const { server } = await start();
      const routes: Array<[string, string]> = [
        ['get', '/api/dataflex/access-requests'],
        ['get', '/api/dataflex/access-requests/x'],
        ['post', '/api/dataflex/access-requests/x/decision'],
        ['post', '/api/dataflex/access-requests/x/withdraw'],
        ['post', '/api/dataflex/datasets/default/customers/access-requests'],
        ['get', '/api/dataflex/datasets/default/customers/access'],
        ['get', '/api/dataflex/datasets/default/customers/grants'],
        ['post', '/api/dataflex/datasets/default/customers/grants'],
        ['get', '/api/dataflex/datasets/default/customers/audit'],
        ['get', '/api/dataflex/grants'],
        ['post', '/api/dataflex/grants/x/revoke'],
        ['get', '/api/dataflex/catalog/grantees'],
      ];
      for (const [method, route] of routes) {
        for (const header of [
          mockCredentials.none.header(),
          mockCredentials.user.invalidHeader(),
        ]) {
          const res = await (request(server) as any)
            [method](route)
            .set('Authorization', header)
            .send(method === 'post' ? { decision: 'approve' } : undefined);
          expect([route, res.status]).toEqual([route, 401]);
        }
      }
      expect(
        (
          await request(server)
            .get('/api/dataflex/access-requests?role=boss')
            .set('Authorization', asUser(ANIL))
        ).status,
      ).toBe(400);
      expect(
        (
          await request(server)
            .get('/api/dataflex/access-requests?surprise=1')
            .set('Authorization', asUser(ANIL))
        ).status,
      ).toBe(400);
    });
  },
);

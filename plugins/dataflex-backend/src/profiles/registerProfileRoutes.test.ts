import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { dataflexPlugin } from '../plugin';

jest.setTimeout(60_000);

const ANIL = 'user:default/anil';
const PRIYA = 'user:default/priya';
const VICTOR = 'user:default/victor';
const AGENT = 'user:default/agent';

const as = (who: string) => mockCredentials.user.header(who);

function user(name: string, displayName?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: displayName ? { displayName } : {}, memberOf: [] },
  };
}

function group(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [
      ...members.map(targetRef => ({ type: 'hasMember', targetRef })),
      { type: 'childOf', targetRef: 'group:default/data-org' },
      { type: 'ownerOf', targetRef: 'component:default/orders' },
    ],
  };
}

const crowd = Array.from({ length: 55 }, (_, i) =>
  user(`member-${String(i).padStart(2, '0')}`),
);

const entities: Entity[] = [
  user('anil', 'Anil Kumar'),
  user('priya', 'Priya Raman'),
  user('victor', 'Victor Viewer'),
  user('agent', 'Secret Agent'),
  user('quiet'),
  ...crowd,
  group('data-platform', [PRIYA, ANIL, AGENT, ANIL]),
  group(
    'crowd',
    crowd.map(e => stringifyEntityRef(e)),
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default' },
    spec: { type: 'service', owner: 'data-platform', lifecycle: 'production' },
  },
];

/**
 * The catalog as each caller sees it: `agent` is hidden from `victor`, as a
 * catalog permission policy could hide them. Anyone else sees everything.
 */
function catalogFactory() {
  const everything = catalogServiceMock({ entities });
  const forVictor = catalogServiceMock({
    entities: entities.filter(e => stringifyEntityRef(e) !== AGENT),
  });
  const seenBy = (options?: { credentials?: BackstageCredentials }) => {
    const principal = options?.credentials?.principal as
      | { userEntityRef?: string }
      | undefined;
    return principal?.userEntityRef === VICTOR ? forVictor : everything;
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      new Proxy(everything, {
        get(target, method: keyof typeof everything) {
          if (typeof target[method] !== 'function') {
            return target[method];
          }
          return (...args: any[]) => {
            const client = seenBy(args[args.length - 1]);
            return (client[method] as Function).apply(client, args);
          };
        },
      }),
  });
}

interface AuditRecord {
  eventId: string;
  meta?: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
  error?: string;
}

function auditorFactory(records: AuditRecord[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      async createEvent(options) {
        const record: AuditRecord = {
          eventId: options.eventId,
          meta: options.meta,
          status: 'initiated',
        };
        records.push(record);
        return {
          async success(result) {
            record.status = 'succeeded';
            record.meta = { ...record.meta, ...result?.meta };
          },
          async fail(result) {
            record.status = 'failed';
            record.error = result.error.message;
          },
        };
      },
    }),
  });
}

const anilProfile = {
  displayName: 'Anil Kumar',
  bio: 'SECRET-BIO: interviewing elsewhere',
  organization: 'Data Platform',
  skills: ['SQL', 'Kafka'],
  visibility: {
    displayName: 'public',
    bio: 'private',
    organization: 'public',
    skills: 'public',
  },
};

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('profile API (%s)', databaseId => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-profiles-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function start() {
    const auditRecords: AuditRecord[] = [];
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        dataflexPlugin,
        catalogFactory(),
        auditorFactory(auditRecords),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            dataflex: { storage: { type: 'local', local: { directory: dir } } },
          },
        }),
      ],
    });
    const put = (who: string, body: object) =>
      request(server)
        .put('/api/dataflex/profiles/me')
        .set('Authorization', as(who))
        .send(body);
    const get = (who: string, url: string) =>
      request(server).get(`/api/dataflex${url}`).set('Authorization', as(who));
    return { server, auditRecords, put, get };
  }

  describe('who may call', () => {
    it.each([
      ['get', '/profiles/me'],
      ['put', '/profiles/me'],
      ['get', '/profiles/by-owner?entityRef=group:default/data-platform'],
      ['get', '/profiles/default/anil'],
    ] as const)(
      'refuses %s %s without a token, and with a service token',
      async (method, url) => {
        const { server } = await start();

        const anonymous = await request(server)
          [method](`/api/dataflex${url}`)
          .set('Authorization', mockCredentials.none.header())
          .send(method === 'put' ? anilProfile : undefined);
        expect(anonymous.status).toBe(401);
        expect(JSON.stringify(anonymous.body)).not.toContain('Anil Kumar');

        const service = await request(server)
          [method](`/api/dataflex${url}`)
          .set('Authorization', mockCredentials.service.header())
          .send(method === 'put' ? anilProfile : undefined);
        expect(service.status).toBe(403);
      },
    );
  });

  describe('GET /profiles/me', () => {
    it('starts from the display name in the catalog, only it public', async () => {
      const { get } = await start();

      const res = await get(ANIL, '/profiles/me');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        userEntityRef: ANIL,
        displayName: 'Anil Kumar',
        skills: [],
        visibility: {
          displayName: 'public',
          bio: 'private',
          organization: 'private',
          skills: 'private',
        },
      });
    });

    it('falls back to the user name when the catalog has no display name', async () => {
      const { get } = await start();

      const res = await get('user:default/quiet', '/profiles/me');

      expect(res.body.displayName).toBe('quiet');
    });
  });

  describe('PUT /profiles/me', () => {
    it('saves the whole profile, returns it, and audits fields but not values', async () => {
      const { put, get, auditRecords } = await start();

      const saved = await put(ANIL, {
        ...anilProfile,
        displayName: '  Anil Kumar  ',
        skills: ['SQL', 'Kafka', ' sql '],
      });

      expect(saved.status).toBe(200);
      expect(saved.body).toEqual({
        userEntityRef: ANIL,
        ...anilProfile,
        updatedAt: expect.any(String),
      });
      expect((await get(ANIL, '/profiles/me')).body).toEqual(saved.body);

      expect(auditRecords).toEqual([
        {
          eventId: 'profile-update',
          status: 'succeeded',
          meta: {
            user: ANIL,
            changed: ['displayName', 'bio', 'organization', 'skills'],
            visibility: anilProfile.visibility,
          },
        },
      ]);
      expect(JSON.stringify(auditRecords)).not.toContain('SECRET-BIO');
    });

    it('clears fields left out and audits only what changed', async () => {
      const { put, get, auditRecords } = await start();
      await put(ANIL, anilProfile);

      const res = await put(ANIL, {
        displayName: 'Anil Kumar',
        skills: ['SQL', 'Kafka'],
        visibility: { ...anilProfile.visibility, skills: 'private' },
      });

      expect(res.status).toBe(200);
      const own = (await get(ANIL, '/profiles/me')).body;
      expect(own).not.toHaveProperty('bio');
      expect(own).not.toHaveProperty('organization');
      expect(own.skills).toEqual(['SQL', 'Kafka']);
      expect(auditRecords[1].meta?.changed).toEqual([
        'bio',
        'organization',
        'skills',
      ]);
    });

    it('counts characters, not UTF-16 code units', async () => {
      const { put } = await start();

      const res = await put(ANIL, {
        ...anilProfile,
        displayName: '🙂'.repeat(100),
        skills: ['🧪'.repeat(50)],
      });

      expect(res.status).toBe(200);
      expect(res.body.displayName).toBe('🙂'.repeat(100));
    });

    it.each([
      [
        'an empty display name',
        { displayName: '   ' },
        /displayName: must not be empty/,
      ],
      [
        'a display name of 101 characters',
        { displayName: 'a'.repeat(101) },
        /displayName.*100/,
      ],
      [
        'a display name with a line break',
        { displayName: 'Anil\nKumar' },
        /displayName: must not contain control/,
      ],
      [
        'a display name with a direction override',
        { displayName: 'Anil \u202eKumar' },
        /displayName: must not contain control or invisible formatting/,
      ],
      ['a bio of 2001 characters', { bio: 'b'.repeat(2001) }, /bio.*2000/],
      [
        'an organization of 201 characters',
        { organization: 'o'.repeat(201) },
        /organization.*200/,
      ],
      [
        '31 skills',
        { skills: Array.from({ length: 31 }, (_, i) => `skill-${i}`) },
        /skills.*30/,
      ],
      [
        'a skill of 51 characters',
        { skills: ['SQL', 's'.repeat(51)] },
        /skills.*50/,
      ],
      [
        'an empty skill',
        { skills: ['SQL', ' '] },
        /skills\.1: must not be empty/,
      ],
      [
        'an unknown visibility',
        {
          visibility: { ...anilProfile.visibility, bio: 'friends' },
        },
        /visibility.*bio.*(public|private)/,
      ],
      [
        'a visibility missing a field',
        {
          visibility: {
            displayName: 'public',
            bio: 'public',
            skills: 'public',
          },
        },
        /organization/,
      ],
      ['an unknown field', { email: 'anil@example.com' }, /email/],
    ])('refuses %s with a 400 that says why', async (_, change, message) => {
      const { put, get, auditRecords } = await start();
      await put(ANIL, anilProfile);
      const before = (await get(ANIL, '/profiles/me')).body;

      const res = await put(ANIL, { ...anilProfile, ...change });

      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
      expect((await get(ANIL, '/profiles/me')).body).toEqual(before);
      // Refused by the OpenAPI validator (no event) or by the service (failed).
      expect(auditRecords.slice(1).filter(r => r.status !== 'failed')).toEqual(
        [],
      );
    });

    it('refuses a body without visibility', async () => {
      const { put } = await start();
      const { visibility: _, ...withoutVisibility } = anilProfile;

      const res = await put(ANIL, withoutVisibility);

      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/visibility/);
    });
  });

  describe('GET /profiles/{namespace}/{name}', () => {
    it('gives another user the public fields only; private ones never leave the server', async () => {
      const { put, get } = await start();
      await put(ANIL, anilProfile);

      const res = await get(VICTOR, '/profiles/default/anil');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        userEntityRef: ANIL,
        displayName: 'Anil Kumar',
        organization: 'Data Platform',
        skills: ['SQL', 'Kafka'],
      });
      expect(res.text).not.toContain('SECRET-BIO');
      expect(res.text).not.toContain('"bio"');
      expect(res.text).not.toContain('visibility');
    });

    it('leaves out every field made private, the display name included', async () => {
      const { put, get } = await start();
      await put(ANIL, {
        ...anilProfile,
        displayName: 'PRIVATE-NAME',
        visibility: {
          displayName: 'private',
          bio: 'private',
          organization: 'private',
          skills: 'private',
        },
      });

      const res = await get(VICTOR, '/profiles/default/ANIL');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ userEntityRef: ANIL });
      for (const secret of ['PRIVATE-NAME', 'SECRET-BIO', 'Data Platform']) {
        expect(res.text).not.toContain(secret);
      }
    });

    it('shows the catalog display name of a user who saved nothing', async () => {
      const { get } = await start();

      const res = await get(VICTOR, '/profiles/default/priya');

      expect(res.body).toEqual({
        userEntityRef: PRIYA,
        displayName: 'Priya Raman',
      });
    });

    it('answers 404 alike for a user the catalog lacks and one it hides from the caller', async () => {
      const { put, get } = await start();
      await put(AGENT, { ...anilProfile, displayName: 'Secret Agent' });

      const missing = await get(VICTOR, '/profiles/default/nobody');
      const hidden = await get(VICTOR, '/profiles/default/agent');
      const notAUser = await get(VICTOR, '/profiles/default/orders');

      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        "There is no user 'default/nobody' in the catalog",
      );
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).toBe(
        "There is no user 'default/agent' in the catalog",
      );
      expect(hidden.text).not.toContain('Secret Agent');
      expect(notAUser.status).toBe(404);
      // Someone the catalog shows the user to gets the profile.
      expect((await get(ANIL, '/profiles/default/agent')).status).toBe(200);
    });

    it('refuses names that are not entity names', async () => {
      const { get } = await start();

      const res = await get(VICTOR, '/profiles/default/a%20b');

      expect(res.status).toBe(400);
    });
  });

  describe('GET /profiles/by-owner', () => {
    it("gives the public profiles of a group's members the caller can see, in order", async () => {
      const { put, get } = await start();
      await put(ANIL, anilProfile);
      await put(PRIYA, {
        displayName: 'Priya R.',
        bio: 'Builds the catalog',
        organization: 'PRIVATE-ORG',
        skills: ['dbt'],
        visibility: {
          displayName: 'public',
          bio: 'public',
          organization: 'private',
          skills: 'public',
        },
      });

      const res = await get(
        VICTOR,
        '/profiles/by-owner?entityRef=group:default/data-platform',
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        owner: 'group:default/data-platform',
        items: [
          {
            userEntityRef: ANIL,
            displayName: 'Anil Kumar',
            organization: 'Data Platform',
            skills: ['SQL', 'Kafka'],
          },
          {
            userEntityRef: PRIYA,
            displayName: 'Priya R.',
            bio: 'Builds the catalog',
            skills: ['dbt'],
          },
        ],
        truncated: false,
      });
      for (const secret of ['SECRET-BIO', 'PRIVATE-ORG', 'agent']) {
        expect(res.text).not.toContain(secret);
      }

      const asAnil = await get(
        ANIL,
        '/profiles/by-owner?entityRef=data-platform',
      );
      expect(asAnil.body.items.map((p: any) => p.userEntityRef)).toEqual([
        AGENT,
        ANIL,
        PRIYA,
      ]);
    });

    it('gives the profile of a user owner', async () => {
      const { put, get } = await start();
      await put(ANIL, anilProfile);

      const res = await get(
        PRIYA,
        '/profiles/by-owner?entityRef=user:default/anil',
      );

      expect(res.body).toEqual({
        owner: ANIL,
        items: [
          {
            userEntityRef: ANIL,
            displayName: 'Anil Kumar',
            organization: 'Data Platform',
            skills: ['SQL', 'Kafka'],
          },
        ],
        truncated: false,
      });
    });

    it('stops at 50 members and says so', async () => {
      const { get } = await start();

      const res = await get(
        VICTOR,
        '/profiles/by-owner?entityRef=group:default/crowd',
      );

      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(50);
      expect(res.body.items[49].userEntityRef).toBe('user:default/member-49');
      expect(res.body.truncated).toBe(true);
    });

    it.each([
      ['component:default/orders', 400, /owners are groups or users/],
      ['group:default/', 400, /not an entity ref/],
      ['group:default/nobody', 404, /no group 'group:default\/nobody'/],
      ['user:default/agent', 404, /no user 'user:default\/agent'/],
    ])('answers %s with %s', async (entityRef, status, message) => {
      const { get } = await start();

      const res = await get(
        VICTOR,
        `/profiles/by-owner?entityRef=${encodeURIComponent(entityRef)}`,
      );

      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
    });

    it('needs the entityRef parameter', async () => {
      const { get } = await start();

      const res = await get(VICTOR, '/profiles/by-owner');

      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/entityRef/);
    });
  });
});

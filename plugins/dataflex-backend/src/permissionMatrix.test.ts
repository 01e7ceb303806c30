import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import {
  asCatalogService,
  asUser,
  startDataflexTestBackend,
} from './__testUtils__/startDataflexTestBackend';
import { TestOrganisation } from './__testUtils__/testOrganisation';
import { createTestDatabases } from './database/__testUtils__/testDatabases';

jest.setTimeout(120_000);

/**
 * Every DataFlex route, for each of the resources it can be pointed at,
 * answered for six callers through a started backend with the real DataFlex
 * policy, permission backend and databases. The matrix is the data below;
 * the tests are generated from it, and the first test fails when the
 * OpenAPI spec has an operation the matrix lacks (or the other way round).
 */

const ADMIN = 'user:default/ada';
const OWNER = 'user:default/olivia';
const VIEWER = 'user:default/victor';
const GRANT_HOLDER = 'user:default/grace';
/** Asks for access in the fixtures; not a column of the matrix. */
const REQUESTER = 'user:default/rita';

const PORTAL_ADMINS = 'group:default/portal-admins';
const DATA_PLATFORM = 'group:default/data-platform';
const RESEARCH = 'group:default/research';

const organisation: TestOrganisation = {
  groups: {
    [PORTAL_ADMINS]: {},
    [DATA_PLATFORM]: {},
    // The owner belongs to the owning group only through this child group,
    // so every owner cell also checks that the policy follows nesting.
    'group:default/data-engineering': { parent: DATA_PLATFORM },
    'group:default/marketing': {},
    [RESEARCH]: {},
    'group:default/students': {},
  },
  users: {
    [ADMIN]: [PORTAL_ADMINS],
    [OWNER]: ['group:default/data-engineering'],
    [VIEWER]: ['group:default/marketing'],
    [GRANT_HOLDER]: [RESEARCH],
    [REQUESTER]: ['group:default/students'],
  },
};

type Principal =
  | 'admin'
  | 'owner'
  | 'viewer'
  | 'grantHolder'
  | 'anonymous'
  | 'service';

const PRINCIPALS: Principal[] = [
  'admin',
  'owner',
  'viewer',
  'grantHolder',
  'anonymous',
  'service',
];

/**
 * Who each column is:
 * - admin: in `dataflex.rbac.admins` (through the portal-admins group);
 * - owner: member of a child group of the fixtures' owning group;
 * - viewer: signed in, no relation to anything;
 * - grantHolder: holds approved grants on version 1 of the private dataset
 *   (a direct grant to their group) and of the public one (their request,
 *   approved by the owner), and a direct grant on version 1 of every fresh
 *   dataset;
 * - anonymous: no token at all;
 * - service: the catalog backend's service token. Services may call the
 *   health check and the `/catalog/*` endpoints the catalog reads DataFlex
 *   through; everything else acts for a person and refuses them (403).
 */
function authorization(principal: Principal): string | undefined {
  switch (principal) {
    case 'admin':
      return asUser(ADMIN);
    case 'owner':
      return asUser(OWNER);
    case 'viewer':
      return asUser(VIEWER);
    case 'grantHolder':
      return asUser(GRANT_HOLDER);
    case 'service':
      return asCatalogService();
    default:
      return undefined;
  }
}

const PRIVATE = 'matrix-private';
const PUBLIC = 'matrix-public';
const OPEN = 'matrix-open';
const PUBLIC_DEMO = 'matrix-demo';
const INTERNAL_DEMO = 'matrix-internal-demo';

/** In every version; no refusal may carry it. */
const ROW_MARKER = 'CUST-0001';
const V1 = `customer_id,country\n${ROW_MARKER},DE\nCUST-0002,FR\n`;
const V2 = `${V1}CUST-0003,NL\n`;

function service(name: string, isPublic: boolean): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'dataflex.io/public': String(isPublic),
        'dataflex.io/demo-input': `dataset:default/${PRIVATE}`,
        'dataflex.io/demo-pipeline': '- limit: 1',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: DATA_PLATFORM },
    relations: [{ type: 'ownedBy', targetRef: DATA_PLATFORM }],
  };
}

/** What a cell sends: path parameters, query, and a JSON body or a file. */
interface Call {
  params?: Record<string, string | number>;
  query?: string;
  json?: object;
  file?: string;
}

/** Creates what a cell changes or uses up, so that cells stay independent. */
interface FixtureKit {
  /** A name never used before. */
  unique(prefix: string): string;
  /**
   * A dataset of the owner's group, on which the grant holder holds a
   * direct grant for version 1 (unless it is open); with version 1 when
   * `withVersion`.
   */
  freshDataset(
    visibility: 'private' | 'public' | 'open',
    options?: { withVersion?: boolean },
  ): Promise<{ name: string; grantId?: string }>;
  /** A pending request of `requester` for version 1 of a fresh public dataset. */
  freshRequest(requester: string): Promise<string>;
  /** The pending requests made once, for reading. */
  requests: { requester: string; viewer: string };
}

const dataset = (name: string, version?: number | 'latest'): Call => ({
  params: { name, ...(version !== undefined && { version }) },
});

const justification = 'Thesis on churn; I need the country mix.';

const defineTargets = <T extends string>(
  targets: Record<T, (kit: FixtureKit) => Promise<Call>>,
) => targets;

/** The resources routes are pointed at, by the label the matrix uses. */
const TARGETS = defineTargets({
  'no resource': async (): Promise<Call> => ({}),
  'private dataset': async () => dataset(PRIVATE),
  'public dataset': async () => dataset(PUBLIC),
  'open dataset': async () => dataset(OPEN),
  'missing dataset': async () => dataset('no-such-dataset'),
  'private v1': async () => dataset(PRIVATE, 1),
  'private v2': async () => dataset(PRIVATE, 2),
  'private latest (v2)': async () => dataset(PRIVATE, 'latest'),
  'public v1': async () => dataset(PUBLIC, 1),
  'public v2': async () => dataset(PUBLIC, 2),
  'open v1': async () => dataset(OPEN, 1),
  'new dataset of the owning group': async (kit: FixtureKit) => ({
    json: {
      name: kit.unique('created'),
      owner: DATA_PLATFORM,
      visibility: 'private',
    },
  }),
  'private dataset, a new description': async () => ({
    ...dataset(PRIVATE),
    json: { description: 'Checked by the permission matrix' },
  }),
  'public dataset, a new description': async () => ({
    ...dataset(PUBLIC),
    json: { description: 'Checked by the permission matrix' },
  }),
  'open dataset, a new description': async () => ({
    ...dataset(OPEN),
    json: { description: 'Checked by the permission matrix' },
  }),
  'fresh private dataset': async (kit: FixtureKit) =>
    dataset((await kit.freshDataset('private')).name),
  'fresh public dataset': async (kit: FixtureKit) =>
    dataset((await kit.freshDataset('public')).name),
  'fresh private dataset, a new file': async (kit: FixtureKit) => ({
    ...dataset((await kit.freshDataset('private')).name),
    file: `id\n${kit.unique('row')}\n`,
  }),
  'fresh public dataset, a new file': async (kit: FixtureKit) => ({
    ...dataset((await kit.freshDataset('public')).name),
    file: `id\n${kit.unique('row')}\n`,
  }),
  'fresh open dataset, a new file': async (kit: FixtureKit) => ({
    ...dataset((await kit.freshDataset('open')).name),
    file: `id\n${kit.unique('row')}\n`,
  }),
  'fresh private dataset, a request for v1': async (kit: FixtureKit) => ({
    ...dataset((await kit.freshDataset('private', { withVersion: true })).name),
    json: { justification, scope: 'version', version: 1 },
  }),
  'fresh public dataset, a request for v1': async (kit: FixtureKit) => ({
    ...dataset((await kit.freshDataset('public', { withVersion: true })).name),
    json: { justification, scope: 'version', version: 1 },
  }),
  'fresh open dataset, a request for v1': async (kit: FixtureKit) => ({
    ...dataset((await kit.freshDataset('open', { withVersion: true })).name),
    json: { justification, scope: 'version', version: 1 },
  }),
  'fresh private dataset, a grant to another user': async (
    kit: FixtureKit,
  ) => ({
    ...dataset((await kit.freshDataset('private')).name),
    json: { grantee: REQUESTER },
  }),
  'fresh public dataset, a grant to another user': async (kit: FixtureKit) => ({
    ...dataset((await kit.freshDataset('public')).name),
    json: { grantee: REQUESTER },
  }),
  'private dataset, as CSV': async () => ({
    ...dataset(PRIVATE),
    query: 'format=csv',
  }),
  'as approver': async () => ({ query: 'role=approver' }),
  "another user's pending request": async (kit: FixtureKit) => ({
    params: { id: kit.requests.requester },
  }),
  "the viewer's pending request": async (kit: FixtureKit) => ({
    params: { id: kit.requests.viewer },
  }),
  'missing request': async () => ({
    params: { id: '6f0c1a52-0000-4000-8000-000000000000' },
  }),
  "another user's fresh request, approved": async (kit: FixtureKit) => ({
    params: { id: await kit.freshRequest(REQUESTER) },
    json: { decision: 'approve' },
  }),
  "the viewer's fresh request, approved": async (kit: FixtureKit) => ({
    params: { id: await kit.freshRequest(VIEWER) },
    json: { decision: 'approve' },
  }),
  "another user's fresh request": async (kit: FixtureKit) => ({
    params: { id: await kit.freshRequest(REQUESTER) },
  }),
  "the viewer's fresh request": async (kit: FixtureKit) => ({
    params: { id: await kit.freshRequest(VIEWER) },
  }),
  "grant holder's grant on a fresh private dataset": async (
    kit: FixtureKit,
  ) => ({ params: { id: (await kit.freshDataset('private')).grantId! } }),
  "grant holder's grant on a fresh public dataset": async (
    kit: FixtureKit,
  ) => ({ params: { id: (await kit.freshDataset('public')).grantId! } }),
  'public demo': async () => ({ params: { name: PUBLIC_DEMO } }),
  "owners' demo": async () => ({ params: { name: INTERNAL_DEMO } }),
  'missing service': async () => ({ params: { name: 'no-such-service' } }),
  'a new profile': async () => ({
    json: {
      displayName: 'Checked by the matrix',
      visibility: {
        displayName: 'public',
        bio: 'private',
        organization: 'public',
        skills: 'public',
      },
    },
  }),
  'the owning group': async () => ({ query: `entityRef=${DATA_PLATFORM}` }),
  'the private dataset': async () => ({
    query: `ref=${encodeURIComponent(`dataset:default/${PRIVATE}`)}`,
  }),
  "another user's profile": async () => ({ params: { name: 'rita' } }),
});

type Target = keyof typeof TARGETS;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Expected statuses: admin, owner, viewer, grantHolder, anonymous, service. */
type Statuses = [number, number, number, number, number, number];

interface Route {
  method: Method;
  path: string;
  targets: Partial<Record<Target, Statuses>>;
}

const route = (
  method: Method,
  routePath: string,
  targets: Route['targets'],
): Route => ({ method, path: routePath, targets });

// Reading rules, as the cells below apply them:
// - A dataset the caller may not read answers 404, exactly like a missing
//   one (private datasets to viewers); one they may read but not change
//   answers 403.
// - Content (downloads, previews) answers 404 to anyone who may not read
//   that version's content, also when they may see the dataset: a viewer on
//   a public dataset, and a grant holder on a version their grant does not
//   cover (v2 and `latest`). Its metadata stays visible to them (200), so
//   the 404 hides nothing they could not see; it keeps one answer for "no
//   content for you" whether or not the dataset is visible.
// - Requests and grants: someone who may not decide a request does not
//   learn it exists (404); the requester may not decide their own (403,
//   four eyes); grants are revoked by those who may see the dataset but not
//   manage it with 403, as for the dataset's other owner-only routes.
// - Services: 200 on /health and /catalog/*, 403 everywhere else; users get
//   403 on /catalog/*.
//
//                                    admin owner viewer grant anon service
const MATRIX: Route[] = [
  route('get', '/health', {
    'no resource': [200, 200, 200, 200, 401, 200],
  }),
  route('get', '/catalog/datasets', {
    'no resource': [403, 403, 403, 403, 401, 200],
  }),
  route('get', '/catalog/grantees', {
    'no resource': [403, 403, 403, 403, 401, 200],
  }),
  route('get', '/catalog/latest-versions', {
    'the private dataset': [403, 403, 403, 403, 401, 200],
  }),
  route('get', '/datasets', {
    'no resource': [200, 200, 200, 200, 401, 403],
  }),
  route('post', '/datasets', {
    'new dataset of the owning group': [201, 201, 403, 403, 401, 403],
  }),
  route('get', '/datasets/{namespace}/{name}', {
    'private dataset': [200, 200, 404, 200, 401, 403],
    'public dataset': [200, 200, 200, 200, 401, 403],
    'open dataset': [200, 200, 200, 200, 401, 403],
    'missing dataset': [404, 404, 404, 404, 401, 403],
  }),
  route('patch', '/datasets/{namespace}/{name}', {
    'private dataset, a new description': [200, 200, 404, 403, 401, 403],
    'public dataset, a new description': [200, 200, 403, 403, 401, 403],
    'open dataset, a new description': [200, 200, 403, 403, 401, 403],
  }),
  route('delete', '/datasets/{namespace}/{name}', {
    'fresh private dataset': [204, 204, 404, 403, 401, 403],
    'fresh public dataset': [204, 204, 403, 403, 401, 403],
  }),
  route('get', '/datasets/{namespace}/{name}/versions', {
    'private dataset': [200, 200, 404, 200, 401, 403],
    'public dataset': [200, 200, 200, 200, 401, 403],
    'open dataset': [200, 200, 200, 200, 401, 403],
  }),
  route('post', '/datasets/{namespace}/{name}/versions', {
    'fresh private dataset, a new file': [201, 201, 404, 403, 401, 403],
    'fresh public dataset, a new file': [201, 201, 403, 403, 401, 403],
    'fresh open dataset, a new file': [201, 201, 403, 403, 401, 403],
  }),
  route('get', '/datasets/{namespace}/{name}/versions/{version}', {
    'private v1': [200, 200, 404, 200, 401, 403],
    'private v2': [200, 200, 404, 200, 401, 403],
    'public v2': [200, 200, 200, 200, 401, 403],
  }),
  route('get', '/datasets/{namespace}/{name}/versions/{version}/content', {
    'private v1': [200, 200, 404, 200, 401, 403],
    'private v2': [200, 200, 404, 404, 401, 403],
    'private latest (v2)': [200, 200, 404, 404, 401, 403],
    'public v1': [200, 200, 404, 200, 401, 403],
    'public v2': [200, 200, 404, 404, 401, 403],
    'open v1': [200, 200, 200, 200, 401, 403],
  }),
  route('get', '/datasets/{namespace}/{name}/versions/{version}/preview', {
    'private v1': [200, 200, 404, 200, 401, 403],
    'private v2': [200, 200, 404, 404, 401, 403],
    'public v1': [200, 200, 404, 200, 401, 403],
    'public v2': [200, 200, 404, 404, 401, 403],
    'open v1': [200, 200, 200, 200, 401, 403],
  }),
  route('get', '/datasets/{namespace}/{name}/access', {
    'private dataset': [200, 200, 404, 200, 401, 403],
    'public dataset': [200, 200, 200, 200, 401, 403],
    'open dataset': [200, 200, 200, 200, 401, 403],
  }),
  // Owners and admins manage access instead of asking (403); private
  // datasets are only shared by direct grants and open ones need no
  // request (403); the grant holder already reads v1 (409).
  route('post', '/datasets/{namespace}/{name}/access-requests', {
    'fresh private dataset, a request for v1': [403, 403, 404, 403, 401, 403],
    'fresh public dataset, a request for v1': [403, 403, 201, 409, 401, 403],
    'fresh open dataset, a request for v1': [403, 403, 403, 403, 401, 403],
  }),
  route('get', '/access-requests', {
    'no resource': [200, 200, 200, 200, 401, 403],
    'as approver': [200, 200, 200, 200, 401, 403],
  }),
  route('get', '/access-requests/{id}', {
    "another user's pending request": [200, 200, 404, 404, 401, 403],
    "the viewer's pending request": [200, 200, 200, 404, 401, 403],
    'missing request': [404, 404, 404, 404, 401, 403],
  }),
  route('post', '/access-requests/{id}/decision', {
    "another user's fresh request, approved": [200, 200, 404, 404, 401, 403],
    "the viewer's fresh request, approved": [200, 200, 403, 404, 401, 403],
  }),
  route('post', '/access-requests/{id}/withdraw', {
    "another user's fresh request": [404, 404, 404, 404, 401, 403],
    "the viewer's fresh request": [404, 404, 200, 404, 401, 403],
  }),
  route('get', '/datasets/{namespace}/{name}/grants', {
    'private dataset': [200, 200, 404, 403, 401, 403],
    'public dataset': [200, 200, 403, 403, 401, 403],
  }),
  route('post', '/datasets/{namespace}/{name}/grants', {
    'fresh private dataset, a grant to another user': [
      201, 201, 404, 403, 401, 403,
    ],
    'fresh public dataset, a grant to another user': [
      201, 201, 403, 403, 401, 403,
    ],
  }),
  route('get', '/grants', {
    'no resource': [200, 200, 200, 200, 401, 403],
  }),
  route('post', '/grants/{id}/revoke', {
    "grant holder's grant on a fresh private dataset": [
      200, 200, 404, 403, 401, 403,
    ],
    "grant holder's grant on a fresh public dataset": [
      200, 200, 403, 403, 401, 403,
    ],
  }),
  route('get', '/datasets/{namespace}/{name}/audit', {
    'private dataset': [200, 200, 404, 403, 401, 403],
    'public dataset': [200, 200, 403, 403, 401, 403],
    'private dataset, as CSV': [200, 200, 404, 403, 401, 403],
  }),
  // Public demos are open to everyone signed in; others to the service's
  // owners (nested groups included) and admins. The caller needs no access
  // to the private input dataset.
  route('post', '/demos/{namespace}/{name}/runs', {
    'public demo': [200, 200, 200, 200, 401, 403],
    "owners' demo": [200, 200, 403, 403, 401, 403],
    'missing service': [404, 404, 404, 404, 401, 403],
  }),
  route('get', '/demos/{namespace}/{name}/stats', {
    'public demo': [200, 200, 200, 200, 401, 403],
    "owners' demo": [200, 200, 200, 200, 401, 403],
    'missing service': [404, 404, 404, 404, 401, 403],
  }),
  route('get', '/profiles/me', {
    'no resource': [200, 200, 200, 200, 401, 403],
  }),
  route('put', '/profiles/me', {
    'a new profile': [200, 200, 200, 200, 401, 403],
  }),
  route('get', '/profiles/by-owner', {
    'the owning group': [200, 200, 200, 200, 401, 403],
  }),
  route('get', '/profiles/{namespace}/{name}', {
    "another user's profile": [200, 200, 200, 200, 401, 403],
  }),
];

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

const spec = parseYaml(
  fs.readFileSync(path.resolve(__dirname, 'schema/openapi.yaml'), 'utf8'),
) as { paths: Record<string, Record<string, { operationId?: string }>> };

const specOperations = new Map(
  Object.entries(spec.paths).flatMap(([specPath, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => [
        `${method.toUpperCase()} ${specPath}`,
        operation.operationId ?? '(no operationId)',
      ]),
  ),
);

const cells = MATRIX.flatMap(r =>
  Object.entries(r.targets).flatMap(([target, statuses]) =>
    PRINCIPALS.map((principal, i) => ({
      operation:
        specOperations.get(`${r.method.toUpperCase()} ${r.path}`) ??
        '(not in the spec)',
      method: r.method,
      path: r.path,
      target: target as Target,
      principal,
      status: statuses![i],
    })),
  ),
);

function fillPath(template: string, params: Record<string, string | number>) {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (params[key] === undefined) {
      throw new Error(`No value for {${key}} in ${template}`);
    }
    return encodeURIComponent(String(params[key]));
  });
}

describe('the permission matrix', () => {
  it('has a row for every operation in the OpenAPI spec, and no other', () => {
    const covered = MATRIX.map(r => `${r.method.toUpperCase()} ${r.path}`);
    expect(new Set(covered).size).toBe(covered.length);
    expect([...covered].sort()).toEqual([...specOperations.keys()].sort());
    for (const r of MATRIX) {
      expect(Object.keys(r.targets).length).toBeGreaterThan(0);
    }
  });
});

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'permission matrix (%s)',
  databaseId => {
    let dir: string;
    let server: Awaited<ReturnType<typeof startDataflexTestBackend>>['server'];
    let kit: FixtureKit;

    /** A call as the owner that must succeed; returns the body. */
    async function setUp(
      method: 'post' | 'patch',
      url: string,
      body: { json?: object; file?: string },
    ) {
      let req = request(server)
        [method](`/api/dataflex${url}`)
        .set('Authorization', asUser(OWNER));
      req = body.file
        ? req.attach('file', Buffer.from(body.file), 'data.csv')
        : req.send(body.json);
      const res = await req;
      if (res.status >= 300) {
        throw new Error(
          `Fixture ${method.toUpperCase()} ${url} answered ${res.status}: ${
            res.text
          }`,
        );
      }
      return res.body;
    }

    async function createDataset(name: string, visibility: string) {
      await setUp('post', '/datasets', {
        json: { name, owner: DATA_PLATFORM, visibility },
      });
    }

    async function upload(name: string, content: string) {
      await setUp('post', `/datasets/default/${name}/versions`, {
        file: content,
      });
    }

    async function ask(user: string, name: string) {
      const res = await request(server)
        .post(`/api/dataflex/datasets/default/${name}/access-requests`)
        .set('Authorization', asUser(user))
        .send({ justification, scope: 'version', version: 1 });
      if (res.status !== 201) {
        throw new Error(`Request as ${user} answered ${res.status}`);
      }
      return res.body.id as string;
    }

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-matrix-'));
      ({ server } = await startDataflexTestBackend({
        organisation,
        rbacAdmins: [PORTAL_ADMINS],
        notifications: true,
        entities: [service(PUBLIC_DEMO, true), service(INTERNAL_DEMO, false)],
        knex: await databases.init(databaseId),
        blobDirectory: dir,
        dataflexConfig: { demos: { runsPerUserPerMinute: 100 } },
      }));

      for (const [name, visibility] of [
        [PRIVATE, 'private'],
        [PUBLIC, 'public'],
        [OPEN, 'open'],
      ]) {
        await createDataset(name, visibility);
        await upload(name, V1);
      }
      await upload(PRIVATE, V2);
      await upload(PUBLIC, V2);

      // Private datasets are shared by direct grants, here to the grant
      // holder's group; public ones by approving a request.
      await setUp('post', `/datasets/default/${PRIVATE}/grants`, {
        json: { grantee: RESEARCH, fromVersion: 1, toVersion: 1 },
      });
      const asked = await ask(GRANT_HOLDER, PUBLIC);
      await setUp('post', `/access-requests/${asked}/decision`, {
        json: { decision: 'approve' },
      });

      let counter = 0;
      const unique = (prefix: string) => `${prefix}-${++counter}`;
      const freshDataset: FixtureKit['freshDataset'] = async (
        visibility,
        options,
      ) => {
        const name = unique(`fresh-${visibility}`);
        await createDataset(name, visibility);
        if (options?.withVersion) {
          await upload(name, V1);
        }
        if (visibility === 'open') {
          return { name };
        }
        const grant = await setUp('post', `/datasets/default/${name}/grants`, {
          json: { grantee: GRANT_HOLDER, fromVersion: 1, toVersion: 1 },
        });
        return { name, grantId: grant.id };
      };
      kit = {
        unique,
        freshDataset,
        async freshRequest(requester) {
          const { name } = await freshDataset('public', { withVersion: true });
          return ask(requester, name);
        },
        requests: {
          requester: await ask(REQUESTER, PUBLIC),
          viewer: await ask(VIEWER, PUBLIC),
        },
      };
    });

    afterAll(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Calls a route template with `call` as `principal`. */
    async function send(
      method: Method,
      template: string,
      principal: Principal,
      call: Call,
    ) {
      const url = `/api/dataflex${fillPath(template, {
        namespace: 'default',
        ...call.params,
      })}${call.query ? `?${call.query}` : ''}`;
      let req = request(server)[method](url);
      const header = authorization(principal);
      if (header) {
        req = req.set('Authorization', header);
      }
      if (call.file) {
        req = req.attach('file', Buffer.from(call.file), 'data.csv');
      } else if (call.json) {
        req = req.send(call.json);
      }
      return req;
    }

    it.each(cells)(
      '$operation $method $path, $target, as $principal: $status',
      async ({ method, path: template, target, principal, status }) => {
        const res = await send(
          method,
          template,
          principal,
          await TARGETS[target](kit),
        );

        if (res.status !== status) {
          throw new Error(
            `Expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`,
          );
        }
        const refusalWithContent =
          res.status >= 400 && res.text.includes(ROW_MARKER);
        expect(refusalWithContent).toBe(false);
      },
    );

    it('answers a viewer about a private dataset exactly as about a missing one', async () => {
      const routes: Array<[Method, string, Omit<Call, 'params'>]> = [
        ['get', '/datasets/{namespace}/{name}', {}],
        ['patch', '/datasets/{namespace}/{name}', { json: { title: 'Mine' } }],
        ['delete', '/datasets/{namespace}/{name}', {}],
        ['get', '/datasets/{namespace}/{name}/versions', {}],
        ['post', '/datasets/{namespace}/{name}/versions', { file: 'id\n1\n' }],
        ['get', '/datasets/{namespace}/{name}/versions/{version}', {}],
        ['get', '/datasets/{namespace}/{name}/versions/{version}/content', {}],
        ['get', '/datasets/{namespace}/{name}/versions/{version}/preview', {}],
        ['get', '/datasets/{namespace}/{name}/access', {}],
        [
          'post',
          '/datasets/{namespace}/{name}/access-requests',
          { json: { justification, scope: 'version', version: 1 } },
        ],
        ['get', '/datasets/{namespace}/{name}/grants', {}],
        [
          'post',
          '/datasets/{namespace}/{name}/grants',
          { json: { grantee: VIEWER } },
        ],
        ['get', '/datasets/{namespace}/{name}/audit', {}],
      ];
      const missing = 'no-such-dataset';
      for (const [method, template, call] of routes) {
        const answer = async (name: string) => {
          const res = await send(method, template, 'viewer', {
            ...call,
            params: { name, version: 1 },
          });
          return {
            route: `${method} ${template}`,
            status: res.status,
            body: res.text.replaceAll(name, '<name>'),
          };
        };
        const hidden = await answer(PRIVATE);
        expect(hidden.status).toBe(404);
        expect(hidden).toEqual(await answer(missing));
      }
    });

    it.each([
      ['admin', [OPEN, PRIVATE, PUBLIC]],
      ['owner', [OPEN, PRIVATE, PUBLIC]],
      ['viewer', [OPEN, PUBLIC]],
      ['grantHolder', [OPEN, PRIVATE, PUBLIC]],
    ] as const)(
      'lists to the %s exactly the datasets they may read',
      async (principal, expected) => {
        const res = await send('get', '/datasets', principal, {
          query: 'limit=200',
        });
        expect(res.status).toBe(200);
        expect(res.body.nextCursor).toBeUndefined();
        const names = res.body.items.map((d: { name: string }) => d.name);
        expect(names.filter((n: string) => n.startsWith('matrix-'))).toEqual(
          expected,
        );
      },
    );

    it('keeps four eyes when the requester has since become an owner', async () => {
      const { name } = await kit.freshDataset('public', { withVersion: true });
      const id = await ask(VIEWER, name);
      const handedOver = await send(
        'patch',
        '/datasets/{namespace}/{name}',
        'admin',
        { params: { name }, json: { owner: 'group:default/marketing' } },
      );
      expect(handedOver.status).toBe(200);
      const decide = (principal: Principal) =>
        send('post', '/access-requests/{id}/decision', principal, {
          params: { id },
          json: { decision: 'approve' },
        });

      const own = await decide('viewer');
      expect(own.status).toBe(403);
      expect(own.body.error.message).toMatch(/your own access request/);
      // The former owner's group no longer owns it.
      expect((await decide('owner')).status).toBe(404);
      expect((await decide('admin')).status).toBe(200);
    });
  },
);

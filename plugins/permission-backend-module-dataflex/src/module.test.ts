import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
} from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  datasetEntityV1alpha1Validator,
  isDatasetEntity,
} from '@dataflex/backstage-plugin-dataflex-common';
import { datasetSharingPermissionRules } from '@dataflex/backstage-plugin-dataflex-node';
import request from 'supertest';
import { permissionModuleDataflex } from './module';

jest.setTimeout(60_000);

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: data-org }
spec: { type: department, children: [data-platform] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: data-platform }
spec: { type: team, parent: data-org, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: portal-admins }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: anil }
spec: { memberOf: [data-platform] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: student }
spec: { memberOf: [] }
---
apiVersion: dataflex.io/v1alpha1
kind: Dataset
metadata: { name: zebra-secret-ledger }
spec: { owner: data-org, lifecycle: production, visibility: private,
        schema: { columns: [{ name: quokka_salary, type: number }] } }
---
apiVersion: dataflex.io/v1alpha1
kind: Dataset
metadata: { name: customers }
spec: { owner: data-platform, lifecycle: production, visibility: public }
---
apiVersion: dataflex.io/v1alpha1
kind: Dataset
metadata: { name: country-codes }
spec: { owner: data-platform, lifecycle: production, visibility: open }
`;

// What the policy needs of DataFlex's catalog module (which depends on this
// module for its own tests): the Dataset kind with its owner, and the
// catalog rule the policy's conditions name.
const catalogModuleDatasets = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-datasets',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ catalog, permissionsRegistry }) {
        catalog.addProcessor({
          getProcessorName: () => 'TestDatasetProcessor',
          validateEntityKind: async entity =>
            datasetEntityV1alpha1Validator.check(entity),
          async postProcessEntity(entity, _location, emit) {
            if (isDatasetEntity(entity)) {
              emit(
                processingResult.relation({
                  source: getCompoundEntityRef(entity),
                  type: RELATION_OWNED_BY,
                  target: parseEntityRef(entity.spec.owner, {
                    defaultKind: 'Group',
                    defaultNamespace: 'default',
                  }),
                }),
              );
            }
            return entity;
          },
        });
        permissionsRegistry.addPermissionRules(
          Object.values(datasetSharingPermissionRules),
        );
      },
    });
  },
});

// The user info service is the one edge mocked here: it stands in for the
// sign-in resolver, which the auth module's own tests cover.
const memberships: Record<string, string[]> = {
  'user:default/anil': ['group:default/data-platform'],
  'user:default/student': [],
  'user:default/ada': ['group:default/portal-admins'],
};
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(memberships[userEntityRef] ?? []),
        ],
      };
    },
  }),
});

// Real on-behalf-of tokens name the plugin acting for the user (the actor),
// and the permission backend only answers conditional queries for such
// tokens. The mock HTTP auth drops the actor, so add it back.
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      async credentials(req: any, options?: any) {
        const credentials: any = await inner.credentials(req, options);
        const header: string = req.headers.authorization ?? '';
        if (credentials.principal.type === 'user' && header.includes('"obo"')) {
          return mockCredentials.user(credentials.principal.userEntityRef, {
            actor: { subject: 'plugin:catalog' },
          });
        }
        return credentials;
      },
      issueUserCookie: (res: any, options?: any) =>
        inner.issueUserCookie(res, options),
    } as any;
  },
});

describe('DataFlex policy in a running backend', () => {
  let dir: string;
  let server: any;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-rbac-'));
    await fs.writeFile(path.join(dir, 'entities.yaml'), entities);
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDatasets,
        permissionPlugin,
        permissionModuleDataflex,
        userInfoFactory,
        httpAuthWithActors,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            dataflex: { rbac: { admins: ['group:default/portal-admins'] } },
            catalog: {
              rules: [{ allow: ['Group', 'User', 'Dataset', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'entities.yaml') },
              ],
            },
          },
        }),
      ],
    }));
    // Wait until the catalog has processed every entity (as an admin sees it).
    for (let i = 0; i < 100; i++) {
      const res = await request(server)
        .get('/api/catalog/entities/by-query?filter=kind=dataset')
        .set('Authorization', mockCredentials.user.header('user:default/ada'));
      if (res.body.totalItems === 3) break;
      await new Promise(r => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const datasetsAs = async (user: string) => {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=dataset&limit=1')
      .set('Authorization', mockCredentials.user.header(user));
    expect(res.status).toBe(200);
    return res.body;
  };

  it('shows a viewer only public and open datasets, with counts that do not leak', async () => {
    const page = await datasetsAs('user:default/student');
    expect(page.totalItems).toBe(2);
    const all = await request(server)
      .get('/api/catalog/entities?filter=kind=dataset')
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/student'),
      );
    expect(all.body.map((e: any) => e.metadata.name).sort()).toEqual([
      'country-codes',
      'customers',
    ]);
    expect(JSON.stringify(all.body)).not.toMatch(/zebra|quokka/);
  });

  it('answers 404 for a private dataset the viewer cannot see, by name too', async () => {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/dataset/default/zebra-secret-ledger')
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/student'),
      );
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/quokka/);
  });

  it('shows a private dataset to a member of a child of its owning group', async () => {
    expect((await datasetsAs('user:default/anil')).totalItems).toBe(3);
    const res = await request(server)
      .get('/api/catalog/entities/by-name/dataset/default/zebra-secret-ledger')
      .set('Authorization', mockCredentials.user.header('user:default/anil'));
    expect(res.status).toBe(200);
    expect(res.body.spec.schema.columns[0].name).toBe('quokka_salary');
  });

  it('shows everything to an admin', async () => {
    expect((await datasetsAs('user:default/ada')).totalItems).toBe(3);
  });

  it('keeps private datasets out of facets', async () => {
    const res = await request(server)
      .get('/api/catalog/entity-facets?facet=metadata.name&filter=kind=dataset')
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/student'),
      );
    expect(JSON.stringify(res.body)).not.toMatch(/zebra/);
  });

  describe('why can I (not) see this?', () => {
    const explainAs = (caller: string, query: string) =>
      request(server)
        .get(`/api/permission/dataflex/explain?${query}`)
        .set('Authorization', mockCredentials.user.header(caller));

    const byName = (body: any) =>
      Object.fromEntries(body.permissions.map((p: any) => [p.permission, p]));

    it('explains a viewer on a public dataset: metadata yes, content no, and why', async () => {
      const res = await explainAs(
        'user:default/student',
        'entityRef=dataset:default/customers',
      );
      expect(res.status).toBe(200);
      const p = byName(res.body);
      expect(p['dataflex.dataset.read'].allowed).toBe(true);
      expect(p['dataflex.dataset.read'].reasons).toContain(
        "the dataset's visibility is public, one of public, open",
      );
      expect(p['dataflex.dataset.content.read'].allowed).toBe(false);
      expect(p['dataflex.dataset.content.read'].reasons.join(' ')).toMatch(
        /not an owner: group:default\/data-platform is not one of your groups/,
      );
      expect(p['dataflex.access-request.create'].allowed).toBe(true);
    });

    it('explains ownership through a parent group', async () => {
      const res = await explainAs(
        'user:default/anil',
        'entityRef=dataset:default/zebra-secret-ledger',
      );
      const p = byName(res.body);
      expect(p['dataflex.dataset.update'].allowed).toBe(true);
      expect(p['dataflex.dataset.update'].reasons[0]).toMatch(
        /you are an owner: group:default\/data-org/,
      );
    });

    it('does not reveal a private dataset to a viewer who asks about it', async () => {
      const res = await explainAs(
        'user:default/student',
        'entityRef=dataset:default/zebra-secret-ledger',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'No entity dataset:default/zebra-secret-ledger that you can see',
      );
      const missing = await explainAs(
        'user:default/student',
        'entityRef=dataset:default/nothing-here',
      );
      expect(missing.body.error.message).toBe(
        'No entity dataset:default/nothing-here that you can see',
      );
    });

    it('lets only admins ask about someone else', async () => {
      const refused = await explainAs(
        'user:default/student',
        'entityRef=dataset:default/customers&userEntityRef=user:default/anil',
      );
      expect(refused.status).toBe(403);

      const res = await explainAs(
        'user:default/ada',
        'entityRef=dataset:default/zebra-secret-ledger&userEntityRef=student',
      );
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({
        userEntityRef: 'user:default/student',
        isAdmin: false,
      });
      expect(byName(res.body)['catalog.entity.read']).toMatchObject({
        allowed: false,
      });
    });

    it('answers 400 without an entity ref and 401 without a user', async () => {
      expect((await explainAs('user:default/student', '')).status).toBe(400);
      const anonymous = await request(server)
        .get(
          '/api/permission/dataflex/explain?entityRef=dataset:default/customers',
        )
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });

    it('shows the role mapping in effect and the caller', async () => {
      const res = await request(server)
        .get('/api/permission/dataflex/roles')
        .set('Authorization', mockCredentials.user.header('user:default/ada'));
      expect(res.body.admins).toEqual(['group:default/portal-admins']);
      expect(res.body.you).toMatchObject({
        userEntityRef: 'user:default/ada',
        isAdmin: true,
      });
      expect(res.body.roles.map((r: any) => r.name)).toEqual([
        'admin',
        'owner',
        'viewer',
      ]);
    });
  });
});

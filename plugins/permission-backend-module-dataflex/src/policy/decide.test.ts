import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { permissionRules as catalogRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  accessGrantManagePermission,
  accessRequestCreatePermission,
  datasetContentReadPermission,
  datasetCreatePermission,
  datasetReadPermission,
  datasetUpdatePermission,
  DatasetVisibility,
  demoRunPermission,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DatasetPermissionResource,
  datasetPermissionRules,
  DatasetSharingKeys,
  datasetSharingPermissionRules,
} from '@dataflex/backstage-plugin-dataflex-node';
import { decide } from './decide';
import { ResolvedUser } from './RoleResolver';

const rules: Record<string, { apply(resource: any, params: any): boolean }> =
  {};
for (const rule of [
  ...Object.values(catalogRules),
  ...Object.values(datasetSharingPermissionRules),
  ...Object.values(datasetPermissionRules),
]) {
  rules[rule.name] = rule;
}

// Applies a decision to one resource with the rules' own `apply`, the way the
// permission framework does for single-resource checks.
function evaluate(decision: PolicyDecision, resource: unknown): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const walk = (criteria: PermissionCriteria<PermissionCondition>): boolean => {
    if ('allOf' in criteria) return criteria.allOf.every(walk);
    if ('anyOf' in criteria) return criteria.anyOf.some(walk);
    if ('not' in criteria) return !walk(criteria.not);
    return rules[criteria.rule].apply(resource, criteria.params);
  };
  return walk(decision.conditions);
}

const anil: ResolvedUser = {
  userEntityRef: 'user:default/anil',
  isAdmin: false,
  claims: [
    'user:default/anil',
    'group:default/data-platform',
    'group:default/data-org',
  ],
};
const student: ResolvedUser = {
  userEntityRef: 'user:default/student',
  isAdmin: false,
  claims: ['user:default/student', 'group:default/students'],
};
const admin: ResolvedUser = {
  userEntityRef: 'user:default/admin',
  isAdmin: true,
  claims: ['user:default/admin', 'group:default/portal-admins'],
};

const dataset = (
  visibility: DatasetVisibility,
  owner = 'group:default/data-platform',
) =>
  ({
    ref: 'dataset:default/x',
    owner,
    visibility,
  } satisfies DatasetPermissionResource);

const datasetEntity = (visibility?: DatasetVisibility): Entity => ({
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', namespace: 'default' },
  spec: {
    owner: 'group:default/data-platform',
    lifecycle: 'production',
    ...(visibility && { visibility }),
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/data-platform' }],
});

const sharingKeys = DatasetSharingKeys.fromConfig(
  mockServices.rootConfig({
    data: {
      dataflex: {
        sharing: { secret: 'a-decide-test-secret-of-32-chars-or-more' },
      },
    },
  }),
);

const can = (user: ResolvedUser, permission: Permission, resource?: unknown) =>
  evaluate(decide(permission, user, sharingKeys), resource);

describe('decide', () => {
  it.each([
    // permission, visibility, anil (owner), student (viewer), admin
    [datasetReadPermission, 'private', true, false, true],
    [datasetReadPermission, 'public', true, true, true],
    [datasetReadPermission, 'open', true, true, true],
    [datasetContentReadPermission, 'private', true, false, true],
    [datasetContentReadPermission, 'public', true, false, true],
    [datasetContentReadPermission, 'open', true, true, true],
    [datasetUpdatePermission, 'public', true, false, true],
    [accessRequestCreatePermission, 'public', true, true, true],
    [accessRequestCreatePermission, 'private', false, false, true],
  ] as const)(
    '%s on a %s dataset: owner %s, viewer %s, admin %s',
    (permission, visibility, owner, viewer, adm) => {
      const resource = dataset(visibility);
      expect(can(anil, permission, resource)).toBe(owner);
      expect(can(student, permission, resource)).toBe(viewer);
      expect(can(admin, permission, resource)).toBe(adm);
    },
  );

  it('lets grant holders read a dataset, and the content of exactly the versions granted', () => {
    const granted = {
      ...dataset('private'),
      grants: [
        { grantee: 'user:default/student', fromVersion: 1, toVersion: 1 },
        { grantee: 'group:default/data-org', fromVersion: 3 },
      ],
    };
    const other: ResolvedUser = {
      userEntityRef: 'user:default/guest',
      isAdmin: false,
      claims: ['user:default/guest', 'group:default/guests'],
    };
    // A member of a group below the grantee group holds its grant too.
    const mei: ResolvedUser = {
      userEntityRef: 'user:default/mei',
      isAdmin: false,
      claims: [
        'user:default/mei',
        'group:default/ml-platform',
        'group:default/data-org',
      ],
    };

    expect(can(student, datasetReadPermission, granted)).toBe(true);
    expect(can(other, datasetReadPermission, granted)).toBe(false);
    expect(
      can(student, datasetContentReadPermission, { ...granted, version: 1 }),
    ).toBe(true);
    expect(
      can(student, datasetContentReadPermission, { ...granted, version: 2 }),
    ).toBe(false);
    expect(
      can(mei, datasetContentReadPermission, { ...granted, version: 2 }),
    ).toBe(false);
    expect(
      can(mei, datasetContentReadPermission, { ...granted, version: 7 }),
    ).toBe(true);
    // A grant never lets anyone manage access or change the dataset.
    expect(can(student, accessGrantManagePermission, granted)).toBe(false);
    expect(can(student, datasetUpdatePermission, granted)).toBe(false);
  });

  it('makes members of a parent group owners of what the parent owns', () => {
    expect(
      can(
        anil,
        datasetUpdatePermission,
        dataset('private', 'group:default/data-org'),
      ),
    ).toBe(true);
    expect(
      can(
        student,
        datasetUpdatePermission,
        dataset('private', 'group:default/data-org'),
      ),
    ).toBe(false);
  });

  it('shows a private Dataset entity shared with a user, or their group, by a grant', () => {
    // The catalog module relates the dataset to each grantee's key.
    const shared = (grantee: string): Entity => {
      const entity = datasetEntity('private');
      const targetRef = stringifyEntityRef(sharingKeys.granteeKeyOf(grantee));
      return {
        ...entity,
        relations: [...entity.relations!, { type: 'sharedWith', targetRef }],
      };
    };
    expect(
      can(student, catalogEntityReadPermission, shared('user:default/student')),
    ).toBe(true);
    expect(
      can(
        student,
        catalogEntityReadPermission,
        shared('group:default/students'),
      ),
    ).toBe(true);
    expect(
      can(student, catalogEntityReadPermission, shared('user:default/mei')),
    ).toBe(false);
    // Nor does a relation naming the user rather than their key.
    const named = datasetEntity('private');
    named.relations!.push({
      type: 'sharedWith',
      targetRef: 'user:default/student',
    });
    expect(can(student, catalogEntityReadPermission, named)).toBe(false);
    expect(
      can(
        student,
        catalogEntityDeletePermission,
        shared('user:default/student'),
      ),
    ).toBe(false);
  });

  it('hides private Dataset entities in the catalog from everyone but owners and admins', () => {
    for (const visibility of ['private', undefined] as const) {
      expect(
        can(student, catalogEntityReadPermission, datasetEntity(visibility)),
      ).toBe(false);
      expect(
        can(anil, catalogEntityReadPermission, datasetEntity(visibility)),
      ).toBe(true);
      expect(
        can(admin, catalogEntityReadPermission, datasetEntity(visibility)),
      ).toBe(true);
    }
    expect(
      can(student, catalogEntityReadPermission, datasetEntity('public')),
    ).toBe(true);
    expect(
      can(student, catalogEntityReadPermission, datasetEntity('open')),
    ).toBe(true);
  });

  it('leaves other catalog entities readable and only deletable by their owners', () => {
    const service: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc' },
      spec: { type: 'service', owner: 'group:default/data-platform' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/data-platform' },
      ],
    };
    expect(can(student, catalogEntityReadPermission, service)).toBe(true);
    expect(can(student, catalogEntityDeletePermission, service)).toBe(false);
    expect(can(anil, catalogEntityDeletePermission, service)).toBe(true);
  });

  it('lets every signed-in user create datasets and run demos, and only admins delete locations', () => {
    expect(can(student, datasetCreatePermission)).toBe(true);
    expect(can(student, demoRunPermission)).toBe(true);
    expect(can(anil, catalogLocationDeletePermission)).toBe(false);
    expect(can(admin, catalogLocationDeletePermission)).toBe(true);
  });
});

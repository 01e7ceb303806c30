import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RoleResolver } from './RoleResolver';

const group = (name: string, parent?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent && { parent }) },
});

describe('RoleResolver', () => {
  const catalog = catalogServiceMock({
    entities: [
      group('data-org'),
      group('data-platform', 'data-org'),
      group('portal-admins'),
      group('loop-a', 'loop-b'),
      group('loop-b', 'loop-a'),
    ],
  });

  const resolver = (admins: string[]) =>
    RoleResolver.create({
      admins,
      catalog,
      auth: mockServices.auth(),
      userInfo: mockServices.userInfo(),
    });

  it('expands claims to ancestor groups through spec.parent', async () => {
    const user = await resolver([]).resolveRefs('user:default/anil', [
      'user:default/anil',
      'group:default/data-platform',
    ]);
    expect(user.claims.sort()).toEqual([
      'group:default/data-org',
      'group:default/data-platform',
      'user:default/anil',
    ]);
    expect(user.isAdmin).toBe(false);
  });

  it('makes members of a configured admin group admins, and no one else', async () => {
    const roles = resolver(['group:default/portal-admins']);
    expect(
      (
        await roles.resolveRefs('user:default/ada', [
          'group:default/portal-admins',
        ])
      ).isAdmin,
    ).toBe(true);
    expect(
      (
        await roles.resolveRefs('user:default/anil', [
          'group:default/data-platform',
        ])
      ).isAdmin,
    ).toBe(false);
  });

  it('accepts admins given as short group names or user refs', async () => {
    expect(
      (
        await resolver(['data-org']).resolveRefs('user:default/anil', [
          'group:default/data-platform',
        ])
      ).isAdmin,
    ).toBe(true);
    expect(
      (
        await resolver(['user:default/anil']).resolveRefs(
          'user:default/anil',
          [],
        )
      ).isAdmin,
    ).toBe(true);
  });

  it('survives a cycle of parents', async () => {
    const user = await resolver([]).resolveRefs('user:default/x', [
      'group:default/loop-a',
    ]);
    expect(user.claims.sort()).toEqual([
      'group:default/loop-a',
      'group:default/loop-b',
      'user:default/x',
    ]);
  });

  it('reads the user from credentials through the user info service', async () => {
    const roles = RoleResolver.create({
      admins: [],
      catalog,
      auth: mockServices.auth(),
      userInfo: mockServices.userInfo({
        ownershipEntityRefs: ['group:default/data-platform'],
      }),
    });
    const user = await roles.resolve(mockCredentials.user('user:default/anil'));
    expect(user.claims).toContain('group:default/data-org');
  });
});

import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createHash, createHmac } from 'node:crypto';
import { DatasetSharingKeys } from './DatasetSharingKeys';
import { datasetSharingKeysServiceRef } from './datasetSharingKeysServiceRef';

const SECRET = 'a-sharing-test-secret-of-at-least-32-characters';

const keysFor = (data: object, env: NodeJS.ProcessEnv = {}) =>
  DatasetSharingKeys.fromConfig(mockServices.rootConfig({ data }), { env });
const keys = keysFor({ dataflex: { sharing: { secret: SECRET } } });

describe('DatasetSharingKeys', () => {
  it('gives each grantee an opaque key: 128 bits of an HMAC keyed with the secret', () => {
    const key = keys.granteeKeyOf('user:default/student');
    expect(key).toEqual({
      kind: 'DataflexGrantee',
      namespace: 'default',
      name: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(key.name).toBe(
      createHmac('sha256', SECRET)
        .update('dataflex.io/sharedWith/v1\nuser:default/student')
        .digest('hex')
        .slice(0, 32),
    );
    expect(JSON.stringify(key)).not.toContain('student');
    // A plain hash of the ref is not it, so hashing every user does not help.
    for (const input of [
      'user:default/student',
      'dataflex.io/sharedWith/v1\nuser:default/student',
    ]) {
      expect(createHash('sha256').update(input).digest('hex')).not.toContain(
        key.name,
      );
    }
  });

  it('is the same for every spelling of a ref, and differs between grantees and secrets', () => {
    const name = keys.granteeKeyOf('user:default/student').name;
    expect(keys.granteeKeyOf('User:Default/Student').name).toBe(name);
    expect(keys.granteeKeyOf('user:default/students').name).not.toBe(name);
    expect(keys.granteeKeyOf('group:default/student').name).not.toBe(name);
    const other = keysFor({
      dataflex: { sharing: { secret: `${SECRET}-other` } },
    });
    expect(other.granteeKeyOf('user:default/student').name).not.toBe(name);
  });

  it('lists keys as the lower-case refs the catalog keeps as relation targets', () => {
    const [student, group] = keys.granteeKeyRefsOf([
      'user:default/student',
      'group:default/students',
    ]);
    expect(student).toBe(
      `dataflexgrantee:default/${
        keys.granteeKeyOf('user:default/student').name
      }`,
    );
    expect(group).toMatch(/^dataflexgrantee:default\/[0-9a-f]{32}$/);
    expect(group).not.toBe(student);
  });

  it('refuses a grantee that is not an entity ref with a kind', () => {
    expect(() => keys.granteeKeyOf('student')).toThrow(/kind/);
  });

  it('refuses a short secret', () => {
    expect(() =>
      keysFor({ dataflex: { sharing: { secret: 'too-short' } } }),
    ).toThrow(
      "dataflex.sharing.secret must be at least 32 characters long, e.g. the output of 'openssl rand -hex 32'",
    );
  });

  it('refuses to go without a secret in production', () => {
    expect(() => keysFor({ auth: { environment: 'production' } })).toThrow(
      /^dataflex\.sharing\.secret is not set\..*here auth\.environment=production and NODE_ENV=\.$/,
    );
    expect(() => keysFor({}, { NODE_ENV: 'production' })).toThrow(
      /here auth\.environment=development and NODE_ENV=production\.$/,
    );
  });

  it('falls back to a development-only secret elsewhere, and says so', () => {
    const logger = mockServices.logger.mock();
    const development = DatasetSharingKeys.fromConfig(
      mockServices.rootConfig({ data: {} }),
      { logger, env: { NODE_ENV: 'development' } },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'dataflex.sharing.secret is not set; using the published development-only secret',
      ),
    );
    expect(development.granteeKeyOf('user:default/student').name).not.toBe(
      keys.granteeKeyOf('user:default/student').name,
    );
  });
});

describe('datasetSharingKeysServiceRef', () => {
  const pluginUsingKeys = (seen: string[]) =>
    createBackendPlugin({
      pluginId: 'uses-keys',
      register(reg) {
        reg.registerInit({
          deps: { sharingKeys: datasetSharingKeysServiceRef },
          async init({ sharingKeys }) {
            seen.push(...sharingKeys.granteeKeyRefsOf(['user:default/anil']));
          },
        });
      },
    });

  it('derives keys from the configured secret in a running backend', async () => {
    const seen: string[] = [];
    const backend = await startTestBackend({
      features: [
        pluginUsingKeys(seen),
        mockServices.rootConfig.factory({
          data: { dataflex: { sharing: { secret: SECRET } } },
        }),
      ],
    });
    await backend.stop();
    expect(seen).toEqual(keys.granteeKeyRefsOf(['user:default/anil']));
  });

  it('stops a production backend without a secret from starting, saying why', async () => {
    await expect(
      startTestBackend({
        features: [
          pluginUsingKeys([]),
          mockServices.rootConfig.factory({
            data: { auth: { environment: 'production' } },
          }),
        ],
      }),
    ).rejects.toThrow(/dataflex\.sharing\.secret is not set/);
  });
});

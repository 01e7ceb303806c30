import { ConfigReader } from '@backstage/config';
import { readLocalProviderConfig } from './readLocalProviderConfig';

const development = { NODE_ENV: 'development' };

function read(data: object, env: NodeJS.ProcessEnv = development) {
  return readLocalProviderConfig(new ConfigReader(data), env);
}

describe('readLocalProviderConfig', () => {
  it('is undefined when the provider is not configured', () => {
    expect(read({ auth: { providers: { github: {} } } })).toBeUndefined();
    expect(read({ auth: { providers: { local: null } } })).toBeUndefined();
  });

  it('has safe defaults: registration off, 5 failures per account and 20 per address lock for 15 minutes', () => {
    expect(read({ auth: { providers: { local: {} } } })).toEqual({
      sessionDurationMs: 12 * 3600_000,
      registration: { enabled: false, minPasswordLength: 12 },
      lockout: {
        account: { maxFailures: 5, windowMs: 900_000, durationMs: 900_000 },
        ip: { maxFailures: 20, windowMs: 900_000, durationMs: 900_000 },
      },
      demoAccounts: undefined,
    });
  });

  it('reads durations, limits and demo accounts', () => {
    const config = read({
      auth: {
        providers: {
          local: {
            sessionDuration: '2h',
            registration: { enabled: true, minPasswordLength: 16 },
            lockout: { account: { maxFailures: 3, duration: { hours: 1 } } },
            demoAccounts: { password: 'dataflex-demo', users: ['Anil', 'mei'] },
          },
        },
      },
    });
    expect(config).toMatchObject({
      sessionDurationMs: 7200_000,
      registration: { enabled: true, minPasswordLength: 16 },
      lockout: {
        account: { maxFailures: 3, windowMs: 900_000, durationMs: 3600_000 },
      },
      demoAccounts: { password: 'dataflex-demo', users: ['anil', 'mei'] },
    });
  });

  it('refuses bad limits and user names', () => {
    expect(() =>
      read({
        auth: { providers: { local: { lockout: { ip: { maxFailures: 0 } } } } },
      }),
    ).toThrow('lockout.ip.maxFailures must be a positive whole number');
    expect(() =>
      read({
        auth: {
          providers: {
            local: {
              demoAccounts: { password: 'x', users: ['anil', 'not valid'] },
            },
          },
        },
      }),
    ).toThrow('not valid catalog entity names: not valid');
  });

  describe('start guards', () => {
    it('refuses to run in production (auth.environment) unless explicitly allowed', () => {
      const data = {
        auth: { environment: 'production', providers: { local: {} } },
      };
      expect(() => read(data)).toThrow(
        /refuses to run in production.*dangerouslyAllowOutsideDevelopment: true/,
      );
      expect(
        read({
          auth: {
            environment: 'production',
            providers: { local: { dangerouslyAllowOutsideDevelopment: true } },
          },
        }),
      ).toBeDefined();
    });

    it('refuses to run with NODE_ENV=production unless explicitly allowed', () => {
      const production = { NODE_ENV: 'production' };
      expect(() =>
        read({ auth: { providers: { local: {} } } }, production),
      ).toThrow('refuses to run in production');
      expect(
        read(
          {
            auth: {
              providers: {
                local: { dangerouslyAllowOutsideDevelopment: true },
              },
            },
          },
          production,
        ),
      ).toBeDefined();
    });

    it('refuses demo accounts outside development, even when production use is allowed', () => {
      const local = {
        dangerouslyAllowOutsideDevelopment: true,
        demoAccounts: { password: 'dataflex-demo', users: ['anil'] },
      };
      expect(() =>
        read({ auth: { providers: { local } } }, { NODE_ENV: 'test' }),
      ).toThrow(/demoAccounts .* only allowed in local development/);
      expect(() =>
        read({ auth: { providers: { local } } }, { NODE_ENV: 'production' }),
      ).toThrow('only allowed in local development');
      expect(() =>
        read({ auth: { environment: 'staging', providers: { local } } }),
      ).toThrow('only allowed in local development');
      expect(read({ auth: { providers: { local } } })?.demoAccounts).toEqual({
        password: 'dataflex-demo',
        users: ['anil'],
      });
    });
  });
});

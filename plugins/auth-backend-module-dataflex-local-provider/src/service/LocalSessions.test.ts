import { Request, Response } from 'express';
import { LocalAuthStore } from '../database/LocalAuthStore';
import { LocalSessions } from './LocalSessions';

describe('LocalSessions', () => {
  const store = {
    createSession: jest.fn(),
    deleteSession: jest.fn(),
  } as unknown as LocalAuthStore;

  it('marks the cookie Secure and scopes it to the auth path of an https base URL', async () => {
    const sessions = LocalSessions.create({
      store,
      durationMs: 3600_000,
      authBaseUrl: 'https://portal.example.com/backstage/api/auth',
    });
    const res = { cookie: jest.fn() } as unknown as Response;

    await sessions.start('anil', { headers: {} } as Request, res);

    expect(res.cookie).toHaveBeenCalledWith(
      'dataflex-local-session',
      expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      {
        httpOnly: true,
        sameSite: 'lax',
        secure: true,
        path: '/backstage/api/auth/local',
        expires: expect.any(Date),
      },
    );
  });
});

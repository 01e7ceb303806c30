import { scryptSync } from 'node:crypto';
import { ScryptPasswordHasher } from './ScryptPasswordHasher';

describe('ScryptPasswordHasher', () => {
  const hasher = ScryptPasswordHasher.create();

  it('stores scrypt parameters, a random salt and the hash as a PHC string', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');

    expect(first).toMatch(
      /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(second).not.toBe(first);
    expect(first).not.toContain('correct horse');
  });

  it('is scrypt as specified, so other tools can check the hashes', async () => {
    const encoded = await hasher.hash('dataflex-demo');
    const [, , , salt, key] = encoded.split('$');

    const expected = scryptSync(
      'dataflex-demo',
      Buffer.from(salt, 'base64'),
      32,
      { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 },
    );

    expect(Buffer.from(key, 'base64').equals(expected)).toBe(true);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const encoded = await hasher.hash('dataflex-demo');

    await expect(hasher.verify('dataflex-demo', encoded)).resolves.toBe(true);
    await expect(hasher.verify('dataflex-dem0', encoded)).resolves.toBe(false);
    await expect(hasher.verify('', encoded)).resolves.toBe(false);
  });

  it('checks hashes made with other parameters', async () => {
    const cheap = ScryptPasswordHasher.create({
      cost: { logN: 10, blockSize: 4, parallelization: 2 },
    });
    const encoded = await cheap.hash('dataflex-demo');

    expect(encoded.startsWith('$scrypt$ln=10,r=4,p=2$')).toBe(true);
    await expect(hasher.verify('dataflex-demo', encoded)).resolves.toBe(true);
  });

  it('refuses everything for an unknown user, at the cost of a real check', async () => {
    const encoded = await hasher.hash('dataflex-demo');
    const timeKnown = async () => {
      const started = process.hrtime.bigint();
      await hasher.verify('wrong', encoded);
      return Number(process.hrtime.bigint() - started);
    };
    const timeUnknown = async () => {
      const started = process.hrtime.bigint();
      await hasher.verify('wrong', undefined);
      return Number(process.hrtime.bigint() - started);
    };
    await expect(hasher.verify('anything', undefined)).resolves.toBe(false);

    const known = [];
    const unknown = [];
    for (let i = 0; i < 3; i++) {
      known.push(await timeKnown());
      unknown.push(await timeUnknown());
    }
    // Both derive a full-cost key; skipping it would be ~1000 times faster.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) / 4);
  });

  it('refuses stored hashes it cannot read or that would cost too much', async () => {
    await expect(hasher.verify('x', 'plain-text-password')).rejects.toThrow(
      'not a scrypt PHC string',
    );
    await expect(
      hasher.verify('x', '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5'),
    ).rejects.toThrow('excessive cost');
  });
});

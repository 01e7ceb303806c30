import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters; see RFC 7914. */
export interface ScryptCost {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  blockSize: number;
  parallelization: number;
}

// N=2^15, r=8 uses 32 MiB per hash and takes tens of milliseconds, which is
// OWASP's recommended minimum for scrypt.
const DEFAULT_COST: ScryptCost = { logN: 15, blockSize: 8, parallelization: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Stored hashes are trusted, but a corrupted row must not make one sign-in
// attempt allocate gigabytes.
const MAX_LOG_N = 20;

const PHC_PATTERN =
  /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * Hashes passwords with scrypt and a random per-password salt, and stores the
 * parameters with the hash as a PHC string
 * (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`), so the cost can be raised later
 * without invalidating existing hashes.
 */
export class ScryptPasswordHasher {
  static create(options?: { cost?: ScryptCost }): ScryptPasswordHasher {
    return new ScryptPasswordHasher(options?.cost ?? DEFAULT_COST);
  }

  #dummyHash?: Promise<string>;

  private constructor(private readonly cost: ScryptCost) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.cost, KEY_BYTES);
    const { logN, blockSize, parallelization } = this.cost;
    return `$scrypt$ln=${logN},r=${blockSize},p=${parallelization}$${b64(
      salt,
    )}$${b64(key)}`;
  }

  /**
   * Whether the password matches the stored hash. Without a stored hash (an
   * unknown user) the password is checked against a hash of a random
   * password, so the answer takes as long as for a known user.
   */
  async verify(
    password: string,
    storedHash: string | undefined,
  ): Promise<boolean> {
    const encoded = storedHash ?? (await this.dummyHash());
    const match = PHC_PATTERN.exec(encoded);
    if (!match) {
      throw new Error('Stored password hash is not a scrypt PHC string');
    }
    const [, logN, blockSize, parallelization, salt, key] = match;
    const cost = {
      logN: Number(logN),
      blockSize: Number(blockSize),
      parallelization: Number(parallelization),
    };
    if (cost.logN > MAX_LOG_N) {
      throw new Error(`Stored password hash has an excessive cost ln=${logN}`);
    }
    const expected = Buffer.from(key, 'base64');
    const actual = await derive(
      password,
      Buffer.from(salt, 'base64'),
      cost,
      expected.length,
    );
    return timingSafeEqual(actual, expected) && storedHash !== undefined;
  }

  private dummyHash(): Promise<string> {
    this.#dummyHash ??= this.hash(randomBytes(32).toString('base64'));
    return this.#dummyHash;
  }
}

function derive(
  password: string,
  salt: Buffer,
  cost: ScryptCost,
  length: number,
): Promise<Buffer> {
  const N = 2 ** cost.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      length,
      {
        N,
        r: cost.blockSize,
        p: cost.parallelization,
        // Node's default ceiling (32 MiB) is exactly what N=2^15, r=8 needs,
        // and scrypt needs a little more than 128·N·r.
        maxmem: 256 * N * cost.blockSize,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/=+$/, '');
}

// What every check of the reliability suite shares: where things are, the
// clients of the test command's services, settings from the environment and
// small helpers.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const resultsDir = path.join(root, 'test-results', 'reliability');

// The suite's clients are the ones the DataFlex backend itself depends on.
export const requireFromBackend = createRequire(
  path.join(root, 'plugins/dataflex-backend/package.json'),
);
export const s3sdk = requireFromBackend('@aws-sdk/client-s3');

/**
 * The catalog fields the browse page's cards ask for (`card`) and searches
 * (`search`), from plugins/dataflex itself, so that the checks query the
 * catalog as the page does.
 */
export const browseFields = JSON.parse(
  fs.readFileSync(
    path.join(
      root,
      'plugins/dataflex/src/components/BrowseQuery/browseFields.json',
    ),
    'utf8',
  ),
);

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** A whole number from the environment, at least `min`. */
export function envInt(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}`);
  }
  return value;
}

/** The test command's services (scripts/test.sh), or a clear refusal. */
export function requireServices() {
  const names = [
    'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
    'DATAFLEX_TEST_S3_ENDPOINT',
    'DATAFLEX_TEST_S3_ACCESS_KEY',
    'DATAFLEX_TEST_S3_SECRET_KEY',
    'DATAFLEX_TEST_S3_BUCKET',
    'DATAFLEX_TEST_KAFKA_BROKERS',
  ];
  const missing = names.filter(name => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `The reliability suite runs against the test command's PostgreSQL, MinIO and Kafka; missing ${missing.join(
        ', ',
      )} (run it through ./scripts/test.sh or reliability/run)`,
    );
  }
  return {
    postgres: process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
    bucket: process.env.DATAFLEX_TEST_S3_BUCKET,
    kafkaBrokers: process.env.DATAFLEX_TEST_KAFKA_BROKERS.split(','),
  };
}

export function createS3Client() {
  return new s3sdk.S3Client({
    endpoint: process.env.DATAFLEX_TEST_S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.DATAFLEX_TEST_S3_ACCESS_KEY,
      secretAccessKey: process.env.DATAFLEX_TEST_S3_SECRET_KEY,
    },
  });
}

/** A name for one run of a check: databases, keys and topics start with it. */
export function runName(check) {
  return `rel_${check}_${randomBytes(4).toString('hex')}`;
}

export function sha256(buffer) {
  return createHash('sha256').update(buffer).digest('hex');
}

export function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

export function percentile(values, p) {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Writes a check's JSON result next to the others. */
export function writeResult(name, result) {
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(
    path.join(resultsDir, `${name}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
}

import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

/** Where the S3 server for tests is, as the test command exports it. */
export interface TestS3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

/** The SDK checksum settings every S3 test runs with. */
export const CHECKSUM_MODES = ['WHEN_SUPPORTED', 'WHEN_REQUIRED'] as const;
export type ChecksumMode = (typeof CHECKSUM_MODES)[number];

/**
 * The S3 server the test command started (scripts/lib/minio.sh), or
 * undefined when a developer runs the tests without one. The test command
 * sets DATAFLEX_REQUIRE_S3, so a missing server fails the run instead of
 * quietly skipping every S3 test.
 */
export function findTestS3Server(): TestS3Server | undefined {
  const endpoint = process.env.DATAFLEX_TEST_S3_ENDPOINT;
  if (!endpoint) {
    if (process.env.DATAFLEX_REQUIRE_S3) {
      throw new Error(
        'DATAFLEX_REQUIRE_S3 is set but DATAFLEX_TEST_S3_ENDPOINT is not; start an S3 server with scripts/lib/minio.sh',
      );
    }
    return undefined;
  }
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) {
      throw new Error(`DATAFLEX_TEST_S3_ENDPOINT is set but ${name} is not`);
    }
    return value;
  };
  return {
    endpoint,
    accessKeyId: required('DATAFLEX_TEST_S3_ACCESS_KEY'),
    secretAccessKey: required('DATAFLEX_TEST_S3_SECRET_KEY'),
    bucket: required('DATAFLEX_TEST_S3_BUCKET'),
  };
}

export function createTestS3Client(
  server: TestS3Server,
  checksumMode: ChecksumMode,
): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    },
    requestChecksumCalculation: checksumMode,
    responseChecksumValidation: checksumMode,
  });
}

/** A key prefix no other test uses, so tests can share one bucket. */
export function uniqueTestPrefix(): string {
  return `test-${randomUUID()}/`;
}

/** Removes every object under a prefix. */
export async function deleteTestPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<void> {
  let continuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: continuationToken,
      }),
    );
    for (const object of page.Contents ?? []) {
      await client.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }),
      );
    }
    continuationToken = page.IsTruncated
      ? page.NextContinuationToken
      : undefined;
  } while (continuationToken);
}

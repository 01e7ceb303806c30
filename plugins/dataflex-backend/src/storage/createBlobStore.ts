import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { Config } from '@backstage/config';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { LocalDiskBlobStore } from './LocalDiskBlobStore';
import { S3BlobStore } from './S3BlobStore';

const CHECKSUM_MODES = ['WHEN_SUPPORTED', 'WHEN_REQUIRED'] as const;

/**
 * Builds the blob store described by `dataflex.storage`; the one place that
 * reads it. Relative local directories are resolved against the backend's
 * working directory.
 */
export async function createBlobStore(config: Config): Promise<BlobStore> {
  const storage = config.getOptionalConfig('dataflex.storage');
  const type = storage?.getOptionalString('type') ?? 'local';
  switch (type) {
    case 'local':
      return LocalDiskBlobStore.create({
        directory:
          storage?.getOptionalString('local.directory') ??
          'dataflex-data/blobs',
      });
    case 's3':
      return createS3BlobStore(config.getConfig('dataflex.storage.s3'));
    default:
      throw new Error(
        `Invalid config at dataflex.storage.type: '${type}' is not a supported storage type; use 'local' or 's3'`,
      );
  }
}

async function createS3BlobStore(s3: Config): Promise<S3BlobStore> {
  const key = (name: string) => `dataflex.storage.s3.${name}`;
  const clientConfig: S3ClientConfig = {
    // S3-compatible stores ignore the region, but the SDK insists on one.
    region: s3.getOptionalString('region') ?? 'us-east-1',
    endpoint: s3.getOptionalString('endpoint'),
    forcePathStyle: s3.getOptionalBoolean('forcePathStyle') ?? false,
    requestChecksumCalculation: readChecksumMode(
      s3,
      'requestChecksumCalculation',
    ),
    responseChecksumValidation: readChecksumMode(
      s3,
      'responseChecksumValidation',
    ),
  };

  const accessKeyId = s3.getOptionalString('accessKeyId');
  const secretAccessKey = s3.getOptionalString('secretAccessKey');
  if (accessKeyId && secretAccessKey) {
    clientConfig.credentials = { accessKeyId, secretAccessKey };
  } else if (accessKeyId || secretAccessKey) {
    throw new Error(
      `Invalid config at ${key(
        accessKeyId ? 'secretAccessKey' : 'accessKeyId',
      )}: set both accessKeyId and secretAccessKey, or neither to use the AWS SDK's default credential chain`,
    );
  }

  return S3BlobStore.create({
    client: new S3Client(clientConfig),
    bucket: s3.getString('bucket'),
    prefix: s3.getOptionalString('prefix'),
    partSizeBytes: readInteger(
      s3,
      'partSizeBytes',
      5 * 1024 * 1024,
      5 * 1024 ** 3,
    ),
    queueSize: readInteger(s3, 'queueSize', 1, 64),
    presignedUrlTtlSeconds: readInteger(
      s3,
      'presignedUrlTtlSeconds',
      1,
      7 * 24 * 60 * 60,
    ),
    createBucket: s3.getOptionalBoolean('createBucket') ?? false,
  });
}

function readChecksumMode(
  s3: Config,
  name: string,
): (typeof CHECKSUM_MODES)[number] | undefined {
  const value = s3.getOptionalString(name);
  if (value === undefined) {
    return undefined;
  }
  const mode = CHECKSUM_MODES.find(m => m === value);
  if (!mode) {
    throw new Error(
      `Invalid config at dataflex.storage.s3.${name}: '${value}' is not one of ${CHECKSUM_MODES.join(
        ', ',
      )}`,
    );
  }
  return mode;
}

function readInteger(
  s3: Config,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = s3.getOptionalNumber(name);
  if (
    value !== undefined &&
    (!Number.isSafeInteger(value) || value < min || value > max)
  ) {
    throw new Error(
      `Invalid config at dataflex.storage.s3.${name}: expected an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

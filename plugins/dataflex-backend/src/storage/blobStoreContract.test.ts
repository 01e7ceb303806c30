import { blobStoreContract } from './__testUtils__/blobStoreContract';
import {
  createLocalDiskSubject,
  createS3Subject,
} from './__testUtils__/blobStoreSubjects';
import { CHECKSUM_MODES, findTestS3Server } from './__testUtils__/testS3';

jest.setTimeout(60_000);

const s3 = findTestS3Server();

describe('LocalDiskBlobStore', () => {
  blobStoreContract(createLocalDiskSubject);
});

// The test command always provides MinIO; without it (a developer running
// jest alone) these are reported as skipped rather than silently passing.
(s3 ? describe.each : describe.skip.each)(CHECKSUM_MODES)(
  'S3BlobStore with requestChecksumCalculation %s',
  checksumMode => {
    blobStoreContract(() => createS3Subject(s3!, checksumMode));
  },
);

// What the S3 blob store keeps under a run's prefix, read straight from the
// bucket: `objects/<uuid>` (content), `refs/<sha256>` (an empty pointer whose
// `object` metadata names the object holding the content), `blobs/<sha256>`
// (content stored under its digest by earlier releases), `pending/<id>`
// (markers naming the object of an upload or delete in progress), `tmp/`
// (health probes) and the multipart uploads behind the objects being
// uploaded.
import { s3sdk } from './common.mjs';

export async function listKeys(s3, bucket, prefix) {
  const keys = [];
  let token;
  do {
    const page = await s3.send(
      new s3sdk.ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    keys.push(...(page.Contents ?? []).map(o => o.Key));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** The keys under `prefix`, sorted by what the store uses them for. */
export async function inventory(s3, bucket, prefix) {
  const keys = await listKeys(s3, bucket, prefix);
  const under = part =>
    keys
      .filter(k => k.startsWith(`${prefix}${part}/`))
      .map(k => k.slice(`${prefix}${part}/`.length));
  return {
    // Digests stored in either layout.
    blobs: [...new Set([...under('refs'), ...under('blobs')])],
    objects: under('objects'),
    tmp: under('tmp'),
    pending: under('pending'),
    other: keys.filter(
      k => !/^(refs|blobs|objects|tmp|pending)\//.test(k.slice(prefix.length)),
    ),
  };
}

async function head(s3, bucket, key) {
  try {
    return await s3.send(
      new s3sdk.HeadObjectCommand({ Bucket: bucket, Key: key }),
    );
  } catch (error) {
    if (error.$metadata?.httpStatusCode === 404) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Where the content of each blob is: its object's key and size, or
 * `undefined` for a pointer naming an object that is missing.
 */
export async function blobContents(s3, bucket, prefix, digests) {
  const contents = new Map();
  for (const sha256 of digests) {
    const pointer = await head(s3, bucket, `${prefix}refs/${sha256}`);
    const key = pointer
      ? `${prefix}objects/${pointer.Metadata?.object}`
      : `${prefix}blobs/${sha256}`;
    const stored = await head(s3, bucket, key);
    if (pointer || stored) {
      contents.set(
        sha256,
        stored ? { key, size: stored.ContentLength } : undefined,
      );
    }
  }
  return contents;
}

/** The keys the `pending/` markers (`{ "key": …, "sha256"?: … }`) name. */
export async function markedTemporaryKeys(s3, bucket, prefix) {
  const { pending } = await inventory(s3, bucket, prefix);
  const keys = [];
  for (const id of pending) {
    const res = await s3.send(
      new s3sdk.GetObjectCommand({
        Bucket: bucket,
        Key: `${prefix}pending/${id}`,
      }),
    );
    keys.push(JSON.parse(await res.Body.transformToString()).key);
  }
  return keys;
}

/**
 * Unfinished multipart uploads of `key`, with their parts. MinIO lists
 * multipart uploads only for an exact key, so callers name the keys.
 */
export async function multipartUploads(s3, bucket, key) {
  const res = await s3.send(
    new s3sdk.ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }),
  );
  const uploads = [];
  for (const upload of res.Uploads ?? []) {
    const parts = await s3.send(
      new s3sdk.ListPartsCommand({
        Bucket: bucket,
        Key: upload.Key,
        UploadId: upload.UploadId,
      }),
    );
    uploads.push({
      key: upload.Key,
      uploadId: upload.UploadId,
      parts: (parts.Parts ?? []).length,
    });
  }
  return uploads;
}

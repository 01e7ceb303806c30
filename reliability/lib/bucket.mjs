// What the S3 blob store keeps under a run's prefix, read straight from the
// bucket: `blobs/<sha256>` (content), `tmp/<id>` (content being uploaded),
// `pending/<id>` (markers naming the temporary key of an upload in progress)
// and the multipart uploads behind those temporary keys.
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
    blobs: under('blobs'),
    tmp: under('tmp'),
    pending: under('pending'),
    other: keys.filter(
      k => !/^(blobs|tmp|pending)\//.test(k.slice(prefix.length)),
    ),
  };
}

/** The keys the `pending/` markers (`{ "key": … }`) name. */
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

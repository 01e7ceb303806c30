// The upload benchmark (issue 6). Run it with bench/upload/run.sh, which
// starts MinIO and exports where it is. In one run, against the same MinIO:
//   - a generated CSV (BENCH_UPLOAD_MIB, default 1024 MiB) uploaded through
//     the API, streamed from disk, vs. a direct multipart upload of the same
//     bytes with the AWS SDK, in BENCH_UPLOAD_ROUNDS rounds (default 3):
//     throughput of each (median), their ratio, and the backend's peak
//     resident memory during the API uploads over its memory before them;
//   - the preview of its first 100 rows vs. a direct S3 range read of the
//     bytes the preview may read;
//   - uploading a round's content again (to another dataset), which stores
//     no new object, vs. the median upload of new content.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { generateCsv } from './generateCsv.mjs';
import {
  freePort,
  listeningPid,
  onExit,
  resultsDir,
  root,
  rssBytes,
  watchProcess,
  signIn,
  startPortal,
} from '../lib/portal.mjs';
import {
  figure,
  MiB,
  printResult,
  round,
  stats,
  table,
} from '../lib/report.mjs';

// The SDK the backend uses, resolved from the backend plugin's dependencies.
const requireFromBackend = createRequire(
  path.join(root, 'plugins/dataflex-backend/package.json'),
);
const {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} = requireFromBackend('@aws-sdk/client-s3');
// The SDK's own streaming upload, for the direct reference; the backend
// uploads parts from reused buffers instead (S3StreamUpload).
const { Upload } = createRequire(path.join(root, 'package.json'))(
  '@aws-sdk/lib-storage',
);

const SIZE_MIB = Number(process.env.BENCH_UPLOAD_MIB ?? 1024);
const ROUNDS = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 3);
const PREVIEW_SAMPLES = Number(process.env.BENCH_PREVIEW_SAMPLES ?? 20);
const USER = 'anil';
const OWNER = 'group:default/data-platform';
// The backend's S3 defaults (config.d.ts), used for the direct upload too,
// so the comparison is of the path and not of the tuning.
const PART_SIZE = 8 * MiB;
const QUEUE_SIZE = 2;
const PREVIEW_BYTES = 1024 * 1024;
const DEFAULT_MAX_UPLOAD = 2 * 1024 * MiB;
const DEFAULT_QUOTA = 20 * 1024 * MiB;
const PREFIX = 'dataflex';

function s3Settings() {
  const env = process.env;
  const missing = [
    'DATAFLEX_TEST_S3_ENDPOINT',
    'DATAFLEX_TEST_S3_ACCESS_KEY',
    'DATAFLEX_TEST_S3_SECRET_KEY',
    'DATAFLEX_TEST_S3_BUCKET',
  ].filter(name => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(
        ', ',
      )} not set: run bench/upload/run.sh, which starts MinIO for this benchmark`,
    );
  }
  return {
    endpoint: env.DATAFLEX_TEST_S3_ENDPOINT,
    accessKeyId: env.DATAFLEX_TEST_S3_ACCESS_KEY,
    secretAccessKey: env.DATAFLEX_TEST_S3_SECRET_KEY,
    bucket: env.DATAFLEX_TEST_S3_BUCKET,
  };
}

async function api(baseUrl, token, url, init = {}) {
  const res = await fetch(`${baseUrl}/api/dataflex${url}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
  });
  const body = await res.json().catch(() => undefined);
  if (!res.ok) {
    throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

function createDataset(baseUrl, token, name) {
  return api(baseUrl, token, '/datasets', {
    method: 'POST',
    body: JSON.stringify({
      name,
      owner: OWNER,
      visibility: 'private',
      description: 'Created by bench/upload',
    }),
  });
}

/**
 * What a round uploads: the generated file with one row of its own appended,
 * so that no round's content is already stored when it is uploaded. Both
 * paths read it from disk the same way.
 */
function roundContent(file, generated, roundNumber) {
  const row = Buffer.from(
    `${generated.rows + roundNumber},2025-12-31T23:59:59.000Z,C${String(
      roundNumber,
    ).padStart(7, '0')},DE,paid,EUR,${roundNumber}.00,1,round ${roundNumber}\n`,
  );
  return {
    filename: path.basename(file),
    size: generated.size + row.length,
    sha256: generated.sha256With(row),
    stream: () =>
      Readable.from(
        (async function* content() {
          yield* fs.createReadStream(file, { highWaterMark: MiB });
          yield row;
        })(),
        { objectMode: false },
      ),
  };
}

/**
 * POSTs the content as multipart/form-data, streamed from disk with a
 * Content-Length, the way a script or the upload dialog sends it.
 */
function uploadThroughApi(baseUrl, token, name, content) {
  const boundary = `dataflex-bench-${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${content.filename}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    yield* content.stream();
    yield tail;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}/api/dataflex/datasets/default/${name}/versions`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + content.size + tail.length,
        },
      },
      res => {
        const chunks = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 201) {
            reject(new Error(`upload answered ${res.statusCode}: ${text}`));
          } else {
            resolve(JSON.parse(text));
          }
        });
      },
    );
    req.on('error', reject);
    pipeline(Readable.from(body()), req, error => {
      if (error) reject(error);
    });
  });
}

async function uploadDirect(s3, bucket, key, content) {
  await new Upload({
    client: s3,
    params: {
      Bucket: bucket,
      Key: key,
      Body: content.stream(),
    },
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
  }).done();
}

async function countObjects(s3, bucket, prefix) {
  let count = 0;
  let token;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    count += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return count;
}

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

/**
 * Runs one upload and records its wall time and what each process spent on
 * it: this script (the client), the backend (with its peak RSS) and MinIO.
 */
async function measureUpload(pids, fn) {
  const watched = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, watchProcess(pid)]),
  );
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  let result;
  try {
    result = await fn();
  } finally {
    for (const watch of Object.values(watched)) watch.stop();
  }
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(clientCpu);
  return {
    ms,
    result,
    clientCpu: (user + system) / 1e6,
    ...Object.fromEntries(
      Object.entries(watched).map(([name, watch]) => [name, watch.stop()]),
    ),
  };
}

/** The median item by `key`; of an even number, the lower of the middle two. */
function medianBy(items, key) {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function sampleLatency(samples, fn) {
  await fn();
  await fn();
  const times = [];
  for (let i = 0; i < samples; i++) {
    times.push((await timed(fn)).ms);
  }
  return stats(times);
}

async function main() {
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
    throw new Error(
      `BENCH_UPLOAD_ROUNDS must be a whole number of rounds, got ${process.env.BENCH_UPLOAD_ROUNDS}`,
    );
  }
  if (!Number.isInteger(SIZE_MIB) || SIZE_MIB < 1) {
    throw new Error(
      `BENCH_UPLOAD_MIB must be a whole number of MiB, got ${process.env.BENCH_UPLOAD_MIB}`,
    );
  }
  const settings = s3Settings();
  const s3 = new S3Client({
    endpoint: settings.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
    },
  });
  const minioPid = listeningPid(Number(new URL(settings.endpoint).port));
  if (!minioPid) {
    throw new Error(`no process found listening at ${settings.endpoint}`);
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-bench-upload-'));
  const file = path.join(work, `orders-${SIZE_MIB}mib.csv`);
  console.log(`Generating a ${SIZE_MIB} MiB CSV in ${work}`);
  const generated = await generateCsv(file, SIZE_MIB * MiB);
  console.log(
    `  ${generated.size} bytes, ${generated.rows} rows, sha256 ${generated.sha256}`,
  );

  // Room for the benchmark's uploads when it is run with a large file.
  const limits = {};
  // Each round appends a row, and every upload counts against the quota.
  const largest = generated.size + MiB;
  const total = (ROUNDS + 2) * largest;
  if (largest > DEFAULT_MAX_UPLOAD) {
    limits.APP_CONFIG_dataflex_limits_maxUploadBytes = String(largest);
  }
  if (total > DEFAULT_QUOTA) {
    limits.APP_CONFIG_dataflex_limits_userQuotaBytes = String(total);
  }
  const port = await freePort();
  const logFile = path.join(resultsDir, `bench-upload-portal-${port}.log`);
  const portal = startPortal({
    port,
    dataDir: path.join(work, 'data'),
    logFile,
    env: {
      APP_CONFIG_dataflex_storage_type: 's3',
      APP_CONFIG_dataflex_storage_s3: JSON.stringify({
        bucket: settings.bucket,
        endpoint: settings.endpoint,
        forcePathStyle: true,
        accessKeyId: settings.accessKeyId,
        secretAccessKey: settings.secretAccessKey,
        prefix: PREFIX,
        partSizeBytes: PART_SIZE,
        queueSize: QUEUE_SIZE,
      }),
      ...limits,
    },
  });
  const cleanup = onExit(async () => {
    await portal.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  try {
    console.log(`Starting the portal on ${portal.baseUrl} (log: ${logFile})`);
    console.log(
      `  storage: S3 at ${settings.endpoint}, bucket ${
        settings.bucket
      }, part size ${PART_SIZE / MiB} MiB, ${QUEUE_SIZE} parts in flight`,
    );
    for (const [key, value] of Object.entries(limits)) {
      console.log(`  raised for this file: ${key}=${value}`);
    }
    await portal.waitUntilReady();
    const { token } = await signIn(portal.baseUrl, USER);
    const backendPid = listeningPid(port);
    if (!backendPid) {
      throw new Error(`no process found listening on port ${port}`);
    }

    // Warm up both paths, so module loading and first connections are not
    // counted as the upload's time. Large enough for several parts and the
    // backend's inspection worker, so that the path a large upload takes is
    // warm too; memory is measured from before it, so what the first large
    // upload allocates and keeps (the part buffers) counts as growth.
    const rssBeforeUploads = rssBytes(backendPid);
    const warmUpFile = path.join(work, 'warm-up.csv');
    const warmUp = roundContent(
      warmUpFile,
      await generateCsv(warmUpFile, 32 * MiB),
      0,
    );
    await createDataset(portal.baseUrl, token, 'bench-warm-up');
    await uploadThroughApi(portal.baseUrl, token, 'bench-warm-up', warmUp);
    await uploadDirect(s3, settings.bucket, 'bench/warm-up', warmUp);
    await createDataset(portal.baseUrl, token, 'bench-upload-again');
    const load = os.loadavg()[0];

    // Rounds of one direct and one API upload each, alternating which goes
    // first, so that a drift over the run (MinIO's disk, the page cache)
    // weighs on both paths alike. The direct upload varies by a fifth from
    // one run to the next, so one pair alone says little.
    const pids = { backend: backendPid, minio: minioPid };
    console.log(
      `${ROUNDS} rounds of a direct SDK upload (@aws-sdk/lib-storage) and an upload through the API of ${file} with a row of the round's own appended; backend process ${backendPid}'s RSS sampled every 50 ms`,
    );
    const rounds = [];
    for (let number = 1; number <= ROUNDS; number++) {
      const content = roundContent(file, generated, number);
      const name = `bench-upload-${number}`;
      await createDataset(portal.baseUrl, token, name);
      const key = `bench/direct-${number}`;
      const runDirect = () =>
        measureUpload(pids, () =>
          uploadDirect(s3, settings.bucket, key, content),
        );
      const runApi = () =>
        measureUpload(pids, () =>
          uploadThroughApi(portal.baseUrl, token, name, content),
        );
      const directFirst = number % 2 === 1;
      const first = await (directFirst ? runDirect() : runApi());
      const second = await (directFirst ? runApi() : runDirect());
      const [direct, viaApi] = directFirst ? [first, second] : [second, first];
      await s3.send(
        new DeleteObjectCommand({ Bucket: settings.bucket, Key: key }),
      );
      const version = viaApi.result;
      if (version.sha256 !== content.sha256 || version.size !== content.size) {
        throw new Error(
          `the stored version differs from the content: ${version.size} bytes, sha256 ${version.sha256}`,
        );
      }
      rounds.push({ name, content, direct, viaApi });
      console.log(
        `  round ${number} (${
          directFirst ? 'direct first' : 'API first'
        }): direct ${round(
          content.size / MiB / (direct.ms / 1000),
        )} MiB/s, API ${round(
          content.size / MiB / (viaApi.ms / 1000),
        )} MiB/s, ratio ${round(direct.ms / viaApi.ms, 2)}`,
      );
    }
    const direct = medianBy(
      rounds.map(r => r.direct),
      m => m.ms,
    );
    const viaApi = medianBy(
      rounds.map(r => r.viaApi),
      m => m.ms,
    );
    const peakRss = Math.max(...rounds.map(r => r.viaApi.backend.peak));
    const peakGrowth = peakRss - rssBeforeUploads;
    const [firstRound] = rounds;

    console.log('Preview of the first 100 rows vs. a direct S3 range read');
    const previewUrl = `/datasets/default/${firstRound.name}/versions/${firstRound.viaApi.result.version}/preview?limit=100`;
    let previewRows;
    const preview = await sampleLatency(PREVIEW_SAMPLES, async () => {
      previewRows = (await api(portal.baseUrl, token, previewUrl)).rows.length;
    });
    // refs/<sha256> is a pointer whose metadata names the content's object.
    const pointer = await s3.send(
      new HeadObjectCommand({
        Bucket: settings.bucket,
        Key: `${PREFIX}/refs/${firstRound.content.sha256}`,
      }),
    );
    const blobKey = `${PREFIX}/objects/${pointer.Metadata.object}`;
    const rangeRead = await sampleLatency(PREVIEW_SAMPLES, async () => {
      const response = await s3.send(
        new GetObjectCommand({
          Bucket: settings.bucket,
          Key: blobKey,
          Range: `bytes=0-${Math.min(PREVIEW_BYTES, generated.size) - 1}`,
        }),
      );
      await response.Body.transformToByteArray();
    });

    console.log(
      "Uploading the first round's content again, to another dataset",
    );
    // Pointers and content objects: the re-upload must add neither.
    const blobs = `${PREFIX}/`;
    const blobsBefore = await countObjects(s3, settings.bucket, blobs);
    const again = await measureUpload(pids, () =>
      uploadThroughApi(
        portal.baseUrl,
        token,
        'bench-upload-again',
        firstRound.content,
      ),
    );
    const blobsAfter = await countObjects(s3, settings.bucket, blobs);
    if (blobsAfter !== blobsBefore) {
      throw new Error(
        `the re-upload stored a new object (${blobsBefore} blobs before, ${blobsAfter} after)`,
      );
    }

    const mib = firstRound.content.size / MiB;
    const mibps = ms => round(mib / (ms / 1000));
    const seconds = ms => round(ms / 1000, 2);
    const growthMiB = round(peakGrowth / MiB);
    const median = `median of ${ROUNDS}`;
    const date = new Date().toISOString().slice(0, 10);
    console.log(
      `\nUpload benchmark, ${date}: ${round(mib)} MiB CSV, MinIO on loopback, ${
        os.cpus().length
      } CPUs, load average ${round(load, 2)} before the uploads`,
    );
    const uploadRow = (measure, m) => ({
      measure,
      seconds: seconds(m.ms),
      mibps: mibps(m.ms),
      client: round(m.clientCpu),
      backend: round(m.backend.cpuSeconds),
      minio: round(m.minio.cpuSeconds),
    });
    table(
      'Uploads (wall time, throughput, CPU seconds each process spent)',
      [
        uploadRow(`Direct SDK upload (${median})`, direct),
        uploadRow(`Upload through the API (${median})`, viaApi),
        uploadRow('Same content again (dedup)', again),
      ],
      [
        { key: 'measure', label: 'Upload' },
        { key: 'seconds', label: 's' },
        { key: 'mibps', label: 'MiB/s' },
        { key: 'client', label: 'client CPU s' },
        { key: 'backend', label: 'backend CPU s' },
        { key: 'minio', label: 'MinIO CPU s' },
      ],
    );
    console.log(
      `\nAPI/direct throughput, ${median}: ${round(
        (100 * direct.ms) / viaApi.ms,
      )} % (target ≥ 70 %); by round: ${rounds
        .map(r => round(r.direct.ms / r.viaApi.ms, 2))
        .join(', ')}`,
    );
    console.log(
      `Backend RSS: ${round(
        rssBeforeUploads / MiB,
      )} MiB before the warm-up, peak ${round(
        peakRss / MiB,
      )} MiB during the ${ROUNDS} API uploads (sampled every 50 ms; each upload's peak: ${rounds
        .map(r => round(r.viaApi.backend.peak / MiB))
        .join(', ')} MiB): +${growthMiB} MiB (target ≤ 128 MiB)`,
    );
    console.log(
      `Dedup: ${blobsBefore} stored blobs before the re-upload, ${blobsAfter} after`,
    );
    table(
      `Preview latency (${PREVIEW_SAMPLES} samples, ${previewRows} rows)`,
      [
        { measure: 'Preview through the API', ...preview },
        {
          measure: `Direct S3 range read of the first ${
            PREVIEW_BYTES / MiB
          } MiB`,
          ...rangeRead,
        },
      ],
      [
        { key: 'measure', label: 'Measure' },
        { key: 'p50', label: 'p50 ms' },
        { key: 'p95', label: 'p95 ms' },
      ],
    );

    const sizeLabel = `${round(mib, 0)} MiB CSV`;
    const range = 'direct S3 range read';
    printResult('upload', [
      figure(
        `Upload through the API, ${sizeLabel}, ${median}`,
        mibps(viaApi.ms),
        'MiB/s',
        {
          reference: mibps(direct.ms),
          referenceLabel: 'direct SDK upload',
          target: 'ratio ≥ 0.70',
        },
      ),
      figure('Backend peak RSS growth over the uploads', growthMiB, 'MiB', {
        target: '≤ 128 MiB',
      }),
      figure(
        `Preview of 100 rows of the ${sizeLabel}, p50`,
        preview.p50,
        'ms',
        { reference: rangeRead.p50, referenceLabel: range },
      ),
      figure(
        `Preview of 100 rows of the ${sizeLabel}, p95`,
        preview.p95,
        'ms',
        { reference: rangeRead.p95, referenceLabel: range },
      ),
      figure('Re-upload of the same content (dedup)', seconds(again.ms), 's', {
        reference: seconds(viaApi.ms),
        referenceLabel: `upload of new content through the API, ${median}`,
      }),
    ]);
  } finally {
    await cleanup();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

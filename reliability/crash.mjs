// Crash injection: the backend is killed with SIGKILL while uploads are held
// at each stage of an upload (the DATAFLEX_CRASH_AT hook of
// plugins/dataflex-backend/src/upload/crashPoint.ts):
//   before-storage  the request is authorised, nothing is stored yet;
//   mid-multipart   6 MiB of an 8 MiB file are in, the S3 multipart upload
//                   has parts (checked in the bucket before the kill);
//   after-storage   the content is complete in its object under objects/,
//                   named by the pointer refs/<sha256> (checked), the
//                   version is not committed;
//   after-commit    the version is committed, the client has no answer yet.
// Each round holds one upload at every stage and kills the process; the
// next round's process is the restart. After its start and one pass of the
// plugin's janitor and orphan collector the bucket, the database and Kafka
// must hold no trace of the uploads that did not commit and every committed
// version byte for byte.
import { call, callOk, listAll, upload, uniqueCsv } from './lib/api.mjs';
import { asUser, spawnBackend, startBackend } from './lib/backend.mjs';
import {
  blobContents,
  inventory,
  markedTemporaryKeys,
  multipartUploads,
} from './lib/bucket.mjs';
import {
  createS3Client,
  expect,
  percentile,
  requireServices,
  runName,
  sha256,
  sleep,
} from './lib/common.mjs';
import { readTopics } from './lib/kafka.mjs';

const STAGES = [
  'before-storage',
  'mid-multipart',
  'after-storage',
  'after-commit',
];
const DATASET = 'default/crash-target';
const BIG_BYTES = 8 * 1024 * 1024;
const SMALL_BYTES = 16 * 1024;
const STANDBY = 2;
// The reliability backend's janitor and orphan collector leave alone what
// was touched within the last second (their grace period); the passes after
// a restart come later than this after the kill, with margin for the
// bucket's clock.
const IDLE_BEFORE_SWEEP_MS = 2_500;
const anil = asUser('anil');

export async function crashCheck({ rounds }) {
  const services = requireServices();
  const run = runName('crash');
  const prefix = `${run}/`;
  const s3 = createS3Client();
  const figures = {
    rounds,
    kills: 0,
    killsPerStage: Object.fromEntries(STAGES.map(s => [s, 0])),
    startMs: [],
    // What the killed processes left, summed over the rounds: proof that the
    // janitor pass had something to clean.
    leftBehind: { markers: 0, multipartUploads: 0, parts: 0, orphanBlobs: 0 },
    committedVersions: 0,
    downloadsVerified: 0,
  };
  const committed = new Map(); // sha256 → size, for the after-commit uploads
  const abandoned = new Set(); // sha256 of uploads killed before their commit
  const temporaryKeys = new Set();
  const checkedKeys = new Set();

  const options = { run, label: 'crash', crashHook: true };
  let backend = await startBackend(options);
  // The processes that restart the backend after the next kills, loading
  // their code meanwhile; two, as loading takes longer than a round.
  const waiting = [];
  const keepWaiting = round => {
    while (waiting.length < Math.min(STANDBY, rounds - round)) {
      waiting.push(spawnBackend(options));
    }
  };
  keepWaiting(0);
  try {
    await callOk(
      backend.baseUrl,
      'POST',
      '/api/dataflex/datasets',
      {
        headers: anil,
        body: {
          name: 'crash-target',
          owner: 'group:default/data-platform',
          visibility: 'private',
        },
      },
      201,
    );

    const phase = timer(figures);
    phase('setup');
    for (let round = 1; round <= rounds; round++) {
      const contents = Object.fromEntries(
        STAGES.map(stage => [
          stage,
          uniqueCsv(
            stage === 'mid-multipart' ? BIG_BYTES : SMALL_BYTES,
            `r${round}-${stage}`,
          ),
        ]),
      );
      const uploads = STAGES.map(stage =>
        upload(backend.baseUrl, DATASET, contents[stage], {
          headers: { ...anil, 'x-dataflex-crash-at': stage },
          filename: `${stage}.csv`,
        }).then(
          res => ({ stage, answered: res.status }),
          () => ({ stage }),
        ),
      );
      await backend.waitForCrashPoints(STAGES, 120_000);
      phase('uploads to their stages');

      // The stages are what they claim to be, seen from the bucket.
      const open = await waitFor('a multipart upload with parts', async () => {
        const keys = await markedTemporaryKeys(s3, services.bucket, prefix);
        const found = [];
        for (const key of keys) {
          temporaryKeys.add(key);
          found.push(...(await multipartUploads(s3, services.bucket, key)));
        }
        return found.some(u => u.parts > 0) ? found : undefined;
      });
      const afterStorageDigest = sha256(contents['after-storage']);
      const afterStorage = await blobContents(s3, services.bucket, prefix, [
        afterStorageDigest,
      ]);
      expect(
        afterStorage.get(afterStorageDigest)?.size ===
          contents['after-storage'].length,
        `round ${round}: the after-storage upload's content is not stored under refs/`,
      );

      phase('checks in the bucket');
      const killedAt = Date.now();
      expect(
        (await backend.kill()) === 'SIGKILL',
        `round ${round}: the backend did not die of SIGKILL`,
      );
      figures.kills += 1;
      STAGES.forEach(stage => (figures.killsPerStage[stage] += 1));
      for (const result of await Promise.all(uploads)) {
        expect(
          result.answered === undefined,
          `round ${round}: the ${result.stage} upload was answered ${result.answered} although the backend was killed before`,
        );
      }
      committed.set(
        sha256(contents['after-commit']),
        contents['after-commit'].length,
      );
      for (const stage of [
        'before-storage',
        'mid-multipart',
        'after-storage',
      ]) {
        abandoned.add(sha256(contents[stage]));
      }

      const left = await inventory(s3, services.bucket, prefix);
      figures.leftBehind.markers += left.pending.length;
      figures.leftBehind.multipartUploads += open.length;
      figures.leftBehind.parts += open.reduce((sum, u) => sum + u.parts, 0);
      figures.leftBehind.orphanBlobs += left.blobs.filter(
        digest => !committed.has(digest),
      ).length;

      phase('leftovers');
      backend = await waiting.shift().start();
      phase('restart');
      figures.startMs.push(backend.startMs);
      keepWaiting(round);
      // A restart can be quicker than the grace period: the part written
      // just before the kill would count as an upload still in progress.
      await sleep(killedAt + IDLE_BEFORE_SWEEP_MS - Date.now());
      await backend.runTask('dataflex-blob-store-janitor');
      await backend.runTask('dataflex-orphan-blob-collector');
      phase('janitor');
      await verify(backend, s3, services.bucket, prefix, {
        round,
        committed,
        abandoned,
        temporaryKeys,
        figures,
        lastRound: round === rounds,
        checkedKeys,
      });
      phase('verify');
    }

    // Every committed version's event reached Kafka, from the outbox, even
    // when the process died right after the commit.
    await backend.runTask('dataflex-event-outbox-relay');
    const versions = await waitFor('the version events in Kafka', async () => {
      const messages = await readTopics(services.kafkaBrokers, [
        `${run}.dataflex.dataset.version-published`,
      ]).catch(() => []);
      const numbers = new Set(
        messages
          .filter(m => m.value?.subject === `dataset:${DATASET}`)
          .map(m => m.value.data.version.version),
      );
      return numbers.size >= committed.size ? numbers : undefined;
    });
    expect(
      [...versions].sort((a, b) => a - b).join() ===
        Array.from({ length: committed.size }, (_, i) => i + 1).join(),
      `Kafka has version events for ${[...versions].join(', ')}, expected 1..${
        committed.size
      }`,
    );
    figures.versionEvents = versions.size;
    phase('events');
  } finally {
    await Promise.all([backend, ...waiting].map(p => p.stop()));
  }
  // From telling the waiting process to start to its backend listening.
  figures.restartMs = {
    p50: percentile(figures.startMs, 0.5),
    max: Math.max(...figures.startMs),
  };
  delete figures.startMs;
  return figures;
}

async function verify(backend, s3, bucket, prefix, state) {
  const { round, committed, abandoned, temporaryKeys, figures } = state;
  const where = `round ${round}, after restart and janitor pass`;

  const left = await inventory(s3, bucket, prefix);
  expect(
    left.tmp.length === 0,
    `${where}: temporary objects left: ${left.tmp.join(', ')}`,
  );
  // Every object is the content of a blob, and every blob's content exists.
  const contents = await blobContents(s3, bucket, prefix, left.blobs);
  const linked = new Set([...contents.values()].map(c => c?.key));
  const unlinked = left.objects.filter(
    id => !linked.has(`${prefix}objects/${id}`),
  );
  expect(
    unlinked.length === 0,
    `${where}: objects no blob names: ${unlinked.join(', ')}`,
  );
  const dangling = left.blobs.filter(digest => !contents.get(digest));
  expect(
    dangling.length === 0,
    `${where}: blobs whose content is missing: ${dangling.join(', ')}`,
  );
  expect(
    left.pending.length === 0,
    `${where}: upload markers left: ${left.pending.join(', ')}`,
  );
  expect(
    left.other.length === 0,
    `${where}: unexpected keys: ${left.other.join(', ')}`,
  );
  // The keys of earlier rounds were checked after their own pass, and
  // nothing uploads to them again; the last round checks them all once more.
  const keys = state.lastRound
    ? [...temporaryKeys]
    : [...temporaryKeys].filter(k => !state.checkedKeys.has(k));
  for (const key of [...keys, prefix]) {
    const uploads = await multipartUploads(s3, bucket, key);
    expect(
      uploads.length === 0,
      `${where}: multipart upload of ${key} still open`,
    );
  }
  keys.forEach(key => state.checkedKeys.add(key));
  const stored = new Set(left.blobs);
  const orphans = left.blobs.filter(digest => !committed.has(digest));
  expect(
    orphans.length === 0,
    `${where}: blobs no version references: ${orphans.join(', ')}`,
  );

  const versions = await listAll(
    backend.baseUrl,
    `/api/dataflex/datasets/${DATASET}/versions`,
    anil,
  );
  const numbers = versions.map(v => v.version).sort((a, b) => a - b);
  expect(
    numbers.join() ===
      Array.from({ length: committed.size }, (_, i) => i + 1).join(),
    `${where}: versions ${numbers.join(', ')}, expected 1..${
      committed.size
    } without gaps or duplicates`,
  );
  for (const version of versions) {
    expect(
      committed.get(version.sha256) === version.size,
      `${where}: version ${version.version} (${version.sha256}, ${version.size} bytes) is not an upload that committed`,
    );
    expect(
      !abandoned.has(version.sha256),
      `${where}: version ${version.version} is a killed upload`,
    );
    expect(
      stored.has(version.sha256),
      `${where}: version ${version.version}'s content is gone`,
    );
    // Every version's content is still stored (above); its bytes are read
    // when it is new, and for every version after the last round.
    if (!state.lastRound && version.version !== committed.size) {
      continue;
    }
    const content = await fetch(
      `${backend.baseUrl}/api/dataflex/datasets/${DATASET}/versions/${version.version}/content`,
      { headers: anil },
    );
    expect(
      content.ok,
      `${where}: version ${version.version}'s content answered ${content.status}`,
    );
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(
      sha256(bytes) === version.sha256 && bytes.length === version.size,
      `${where}: version ${version.version}'s content is not the bytes uploaded`,
    );
    figures.downloadsVerified += 1;
  }
  const latest = await call(
    backend.baseUrl,
    'GET',
    `/api/dataflex/datasets/${DATASET}/versions/latest`,
    {
      headers: anil,
    },
  );
  expect(
    latest.status === 200 && latest.body.version === committed.size,
    `${where}: latest is ${latest.body?.version}, expected ${committed.size}`,
  );
  figures.committedVersions = committed.size;
}

/** Adds the time since its last call to the phase named, for the figures. */
function timer(figures) {
  figures.secondsIn = {};
  let last = Date.now();
  return name => {
    const seconds = (Date.now() - last) / 1000;
    figures.secondsIn[name] =
      Math.round(((figures.secondsIn[name] ?? 0) + seconds) * 10) / 10;
    last = Date.now();
  };
}

async function waitFor(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
    }
    await sleep(250);
  }
}

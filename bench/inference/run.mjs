// The content inspection benchmark (issue 6): how fast the backend's
// streaming inspector (format detection, CSV or JSON Lines scanning, column
// typing, row count; plugins/dataflex-backend/src/inference) gets through a
// generated file, in the same process and without a portal, vs. reading the
// same bytes and hashing them with SHA-256, which every upload does anyway.
// BENCH_INFERENCE_MIB sets the file size (default 256), BENCH_INFERENCE_RUNS
// how many times each is measured (default 3; the median counts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { generateCsv } from '../upload/generateCsv.mjs';
import { generateJsonl } from './generateJsonl.mjs';
import { root } from '../lib/portal.mjs';
import { figure, MiB, printResult, round, table } from '../lib/report.mjs';

const SIZE_MIB = Number(process.env.BENCH_INFERENCE_MIB ?? 256);
const RUNS = Number(process.env.BENCH_INFERENCE_RUNS ?? 3);
// What the upload route reads from the request at a time.
const CHUNK_BYTES = 64 * 1024;

// The backend's TypeScript sources, loaded through Backstage's Node
// transform as `yarn start` runs them.
const backend = path.join(root, 'plugins/dataflex-backend');
const requireFromBackend = createRequire(path.join(backend, 'package.json'));
requireFromBackend('@backstage/cli/config/nodeTransform.cjs');
const { ContentInspector } = requireFromBackend(
  path.join(backend, 'src/inference/ContentInspector.ts'),
);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall and CPU seconds of `fn`, which reads `file` in upload-sized chunks. */
async function measure(file, fn) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await fn(
    fs.createReadStream(file, { highWaterMark: CHUNK_BYTES }),
  );
  const used = process.cpuUsage(cpu);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    result,
  };
}

async function inspect(stream) {
  const inspector = ContentInspector.create({
    allowedFormats: ['csv', 'jsonl', 'parquet'],
  });
  for await (const chunk of stream) await inspector.write(chunk);
  return inspector.end();
}

async function hash(stream) {
  const sha256 = createHash('sha256');
  for await (const chunk of stream) sha256.update(chunk);
  return sha256.digest('hex');
}

async function bench(label, file, size, expectedRows) {
  // One small warm-up, so that compiling the hot paths is not counted.
  const warmUp = `${file}.warm-up`;
  const head = (await fs.promises.readFile(file)).subarray(0, 4 * MiB);
  await fs.promises.writeFile(
    warmUp,
    head.subarray(0, head.lastIndexOf(0x0a) + 1),
  );
  await measure(warmUp, inspect);
  await measure(warmUp, hash);
  await fs.promises.rm(warmUp);

  const inspected = [];
  const hashed = [];
  for (let run = 0; run < RUNS; run++) {
    const result = await measure(file, inspect);
    if (result.result.rowCount !== expectedRows) {
      throw new Error(
        `${label}: the inspector counted ${result.result.rowCount} rows, the generator wrote ${expectedRows}`,
      );
    }
    inspected.push(result);
    hashed.push(await measure(file, hash));
  }
  const mib = size / MiB;
  const rate = (runs, key) => round(mib / median(runs.map(r => r[key])));
  return {
    label,
    columns: inspected[0].result.columns
      .map(c => `${c.name}:${c.type}${c.nullable ? '?' : ''}`)
      .join(' '),
    inspect: rate(inspected, 'seconds'),
    inspectCpu: rate(inspected, 'cpuSeconds'),
    hash: rate(hashed, 'seconds'),
    hashCpu: rate(hashed, 'cpuSeconds'),
  };
}

async function main() {
  const work = await fs.promises.mkdtemp(
    path.join(os.tmpdir(), 'dataflex-bench-inference-'),
  );
  try {
    console.log(`Generating a ${SIZE_MIB} MiB CSV and JSON Lines in ${work}`);
    const csvFile = path.join(work, 'orders.csv');
    const jsonlFile = path.join(work, 'orders.jsonl');
    const csv = await generateCsv(csvFile, SIZE_MIB * MiB);
    const jsonl = await generateJsonl(jsonlFile, SIZE_MIB * MiB);
    const load = os.loadavg()[0];
    console.log(
      `Inspecting each ${RUNS} times, alternating with read + SHA-256 (load average ${load.toFixed(
        1,
      )})`,
    );
    const rows = [
      await bench('CSV', csvFile, csv.size, csv.rows),
      await bench('JSON Lines', jsonlFile, jsonl.size, jsonl.rows),
    ];
    table(
      `Content inspection of ${SIZE_MIB} MiB, median of ${RUNS} runs (MiB/s)`,
      rows,
      [
        { key: 'label', label: 'Format' },
        { key: 'inspect', label: 'Inspect' },
        { key: 'inspectCpu', label: 'per CPU s' },
        { key: 'hash', label: 'Read+SHA-256' },
        { key: 'hashCpu', label: 'per CPU s' },
      ],
    );
    for (const row of rows) console.log(`${row.label} columns: ${row.columns}`);
    printResult(
      'inference',
      rows.map(row =>
        figure(
          `Content inspection, ${SIZE_MIB} MiB ${row.label}`,
          row.inspect,
          'MiB/s',
          { reference: row.hash, referenceLabel: 'read + SHA-256' },
        ),
      ),
    );
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

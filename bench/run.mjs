// The benchmark suite: runs every benchmark under bench/ one after another,
// collects the JSON line each prints last ({"name", "figures"}), and prints
// one table with every figure next to its reference measured in the same run.
// Start it with ./bench/run, which sets up Node and the dependencies first.
//
// Usage: ./bench/run [--only upload,demo] [--skip browse] [--quick]
//   --quick  small sizes, to try the suite in a few minutes: a 64 MiB upload,
//            32 MiB files for the inspector,
//            20 demo runs, 500 + 500 browse entities.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resultsDir, root } from './lib/portal.mjs';
import { table } from './lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    skip: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});

const quick = args.quick;
const BENCHMARKS = [
  {
    name: 'upload',
    command: ['bash', 'bench/upload/run.sh'],
    env: quick ? { BENCH_UPLOAD_MIB: '64' } : {},
  },
  {
    name: 'inference',
    command: ['node', 'bench/inference/run.mjs'],
    env: quick ? { BENCH_INFERENCE_MIB: '32' } : {},
  },
  {
    name: 'demo',
    command: ['node', 'bench/demo/run.mjs', ...(quick ? ['--runs', '20'] : [])],
  },
  {
    name: 'browse',
    command: [
      'node',
      'bench/browse/run.mjs',
      ...(quick
        ? ['--datasets', '500', '--services', '500', '--samples', '5']
        : []),
    ],
  },
  {
    // Written alongside the events outbox; run when it is there.
    name: 'events',
    command: fs.existsSync(path.join(root, 'bench/events/run.sh'))
      ? ['bash', 'bench/events/run.sh']
      : ['node', 'bench/events/run.mjs'],
    present: ['bench/events/run.sh', 'bench/events/run.mjs'].some(file =>
      fs.existsSync(path.join(root, file)),
    ),
  },
];

function selected(name) {
  const list = value => (value ?? '').split(',').filter(Boolean);
  const only = list(args.only);
  const unknown = [...only, ...list(args.skip)].filter(
    n => !BENCHMARKS.some(b => b.name === n),
  );
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark ${unknown.join(', ')}; there are ${BENCHMARKS.map(
        b => b.name,
      ).join(', ')}`,
    );
  }
  return (
    (only.length === 0 || only.includes(name)) &&
    !list(args.skip).includes(name)
  );
}

function isResult(value) {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.name === 'string' &&
    Array.isArray(value.figures)
  );
}

/** Runs one benchmark, echoing its output, and returns its JSON result. */
function runBenchmark(benchmark) {
  return new Promise(resolve => {
    const started = Date.now();
    const child = spawn(benchmark.command[0], benchmark.command.slice(1), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...benchmark.env },
    });
    let result;
    let pending = '';
    const consider = line => {
      if (!line.startsWith('{')) return;
      try {
        const value = JSON.parse(line);
        if (isResult(value)) result = value;
      } catch {
        // Not the result line.
      }
    };
    child.stdout.on('data', chunk => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop();
      lines.forEach(consider);
    });
    child.on('close', code => {
      consider(pending);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code !== 0 || !result) {
        resolve({
          name: benchmark.name,
          seconds,
          error:
            code !== 0
              ? `exited with ${code}`
              : 'printed no result line ({"name": ..., "figures": [...]})',
        });
      } else {
        resolve({ ...result, seconds });
      }
    });
  });
}

function formatNumber(value) {
  if (typeof value !== 'number') return String(value ?? '');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function referenceOf(f) {
  if (f.reference === undefined) return { value: undefined, label: '' };
  return typeof f.reference === 'object'
    ? f.reference
    : { value: f.reference, label: '' };
}

async function main() {
  const chosen = BENCHMARKS.filter(b => selected(b.name));
  const started = new Date();
  const results = [];
  for (const benchmark of chosen) {
    if (benchmark.present === false) {
      console.log(`\n=== ${benchmark.name}: not present in bench/, skipped`);
      results.push({ name: benchmark.name, skipped: 'not present' });
      continue;
    }
    console.log(`\n=== ${benchmark.name}: ${benchmark.command.join(' ')}`);
    results.push(await runBenchmark(benchmark));
  }

  const rows = results.flatMap(r => {
    if (r.skipped) {
      return [{ benchmark: r.name, label: `(skipped: ${r.skipped})` }];
    }
    if (r.error) {
      return [{ benchmark: r.name, label: `FAILED: ${r.error}` }];
    }
    return r.figures.map((f, i) => {
      const reference = referenceOf(f);
      const ratio =
        f.ratio ??
        (typeof reference.value === 'number' && reference.value !== 0
          ? f.value / reference.value
          : undefined);
      return {
        benchmark: i === 0 ? r.name : '',
        label: f.label,
        value: `${formatNumber(f.value)} ${f.unit ?? ''}`.trim(),
        reference:
          reference.value === undefined
            ? ''
            : `${formatNumber(reference.value)} ${f.unit ?? ''}`.trim(),
        referenceLabel: reference.label ?? '',
        ratio: ratio === undefined ? '' : `${formatNumber(ratio)}×`,
        target: f.target ?? '',
      };
    });
  });
  const load = os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');
  table(
    `DataFlex benchmarks, ${started.toISOString().slice(0, 10)}: ${
      os.cpus().length
    } CPUs (${
      os.cpus()[0]?.model ?? 'unknown'
    }), load average ${load} at the end; ratio = value / reference`,
    rows,
    [
      { key: 'benchmark', label: 'Benchmark' },
      { key: 'label', label: 'Figure', align: 'left' },
      { key: 'value', label: 'Value' },
      { key: 'reference', label: 'Reference' },
      { key: 'ratio', label: 'Ratio' },
      { key: 'referenceLabel', label: 'Reference is', align: 'left' },
      { key: 'target', label: 'Target', align: 'left' },
    ],
  );
  console.log(
    `\n${results
      .map(r => `${r.name} ${r.skipped ? 'skipped' : `${r.seconds} s`}`)
      .join(', ')}`,
  );

  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, 'bench-results.json');
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: started.toISOString(),
        cpus: os.cpus().length,
        quick,
        results,
      },
      null,
      2,
    ),
  );
  console.log(`Results in ${path.relative(root, file)}`);
  if (results.some(r => r.error)) process.exit(1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

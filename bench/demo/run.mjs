// The demo benchmark (issue 8): what running a demo through DataFlex costs
// over calling the same HTTP demo service directly. It starts the example
// demo service (examples/demo-service, its own start script, on port 7010
// where the example services' annotations point) and the portal with the
// examples' sample files loaded, then, alternating the two so both see the
// same machine load:
//   - POST /api/dataflex/demos/default/<service>/runs, as a user with no
//     access to the input dataset (DataFlex reads, masks and caps the sample,
//     calls the service, validates and records the run);
//   - a POST of the same sample rows straight to the service;
//   - for comparison, GET /api/dataflex/demos/default/<service>/stats, a
//     request that authenticates and reads the service like a run does.
// Usage: node bench/demo/run.mjs [--runs 100] [--services currency-converter,data-quality-checker]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  freePort,
  onExit,
  poll,
  resultsDir,
  root,
  signIn,
  sleep,
  startPortal,
} from '../lib/portal.mjs';
import { figure, printResult, round, stats, table } from '../lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    'warm-up': { type: 'string', default: '5' },
    services: {
      type: 'string',
      default: 'currency-converter,data-quality-checker',
    },
  },
});
const RUNS = Number(args.runs);
const WARM_UP = Number(args['warm-up']);
const SERVICES = args.services.split(',').filter(Boolean);
const DEMO_PORT = 7010;
const USER = 'student';
// Every run below is one user's; the default limit (10 a minute) would stop
// the benchmark after ten.
const RUNS_PER_MINUTE = 100_000;

async function demoServiceHealthy() {
  try {
    const res = await fetch(`http://127.0.0.1:${DEMO_PORT}/health`);
    return res.ok && (await res.json()).status === 'ok';
  } catch {
    return false;
  }
}

function portInUse(port) {
  return new Promise(resolve => {
    const socket = http.get(`http://127.0.0.1:${port}/`, res => {
      res.resume();
      resolve(true);
    });
    socket.on('error', error => resolve(error.code !== 'ECONNREFUSED'));
  });
}

/** Starts examples/demo-service/start.sh, unless it is already running. */
async function startDemoService(logFile) {
  if (await demoServiceHealthy()) {
    console.log(
      `The example demo service already runs on port ${DEMO_PORT}; using it`,
    );
    return { stop: async () => undefined };
  }
  if (await portInUse(DEMO_PORT)) {
    throw new Error(
      `Port ${DEMO_PORT}, where the example services' demos point, is taken by something other than the example demo service`,
    );
  }
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    'bash',
    [path.join(root, 'examples/demo-service/start.sh')],
    {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, PORT: String(DEMO_PORT) },
    },
  );
  await poll('the demo service', 30_000, async () =>
    (await demoServiceHealthy()) ? true : undefined,
  );
  return {
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}

async function json(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function runThroughDataflex(baseUrl, token, service) {
  const res = await fetch(
    `${baseUrl}/api/dataflex/demos/default/${service}/runs`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}` } },
  );
  const body = await json(res);
  if (!res.ok) {
    throw new Error(
      `the demo run of ${service} answered ${res.status}: ${JSON.stringify(
        body,
      )}`,
    );
  }
  return body;
}

/**
 * The demo's run counts: a DataFlex request that, like a run, authenticates
 * the user and reads the service from the catalog with their credentials,
 * but runs nothing.
 */
async function getStats(baseUrl, token, service) {
  const res = await fetch(
    `${baseUrl}/api/dataflex/demos/default/${service}/stats`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  const body = await json(res);
  if (!res.ok) {
    throw new Error(
      `the demo stats of ${service} answered ${res.status}: ${JSON.stringify(
        body,
      )}`,
    );
  }
  return body;
}

/** A POST like HttpDemoRunner's: node:http, JSON body, default agent. */
function callDirectly(endpoint, rows) {
  const body = JSON.stringify({ rows });
  return new Promise((resolve, reject) => {
    const req = http.request(
      endpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      res => {
        const chunks = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(
              new Error(`${endpoint} answered ${res.statusCode}: ${text}`),
            );
          } else {
            resolve(JSON.parse(text));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

async function waitForInput(baseUrl, adminToken, service) {
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-name/component/default/${service}`,
    { headers: { Authorization: `Bearer ${adminToken}` } },
  );
  if (!res.ok) throw new Error(`no service ${service} in the catalog`);
  const annotations = (await res.json()).metadata.annotations ?? {};
  const endpoint = annotations['dataflex.io/demo-endpoint'];
  const input = annotations['dataflex.io/demo-input'];
  if (!endpoint || !input) {
    throw new Error(`${service} declares no HTTP demo`);
  }
  const name = input.split('/').pop();
  // scripts/start.sh loads the sample files once the backend answers.
  await poll(`a version of ${input}`, 600_000, async () => {
    const versions = await fetch(
      `${baseUrl}/api/dataflex/datasets/default/${name}/versions?limit=1`,
      { headers: { Authorization: `Bearer ${adminToken}` } },
    );
    return versions.ok && (await versions.json()).items.length > 0
      ? true
      : undefined;
  });
  return { endpoint, input };
}

async function benchmarkService(baseUrl, token, adminToken, service) {
  const { endpoint, input } = await waitForInput(baseUrl, adminToken, service);
  const first = await runThroughDataflex(baseUrl, token, service);
  const rows = first.input.rows;
  const direct = await callDirectly(endpoint, rows);
  // Both paths must do the same work for the comparison to mean anything.
  if (!isDeepStrictEqual(direct.rows, first.output.rows)) {
    throw new Error(
      `${service}: the direct call's output differs from the demo run's`,
    );
  }
  for (let i = 0; i < WARM_UP; i++) {
    await runThroughDataflex(baseUrl, token, service);
    await callDirectly(endpoint, rows);
  }
  const viaDataflex = [];
  const serverSide = [];
  const directly = [];
  const lookups = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await timed(() => runThroughDataflex(baseUrl, token, service));
    viaDataflex.push(run.ms);
    serverSide.push(run.result.durationMs);
    directly.push((await timed(() => callDirectly(endpoint, rows))).ms);
    lookups.push((await timed(() => getStats(baseUrl, token, service))).ms);
  }
  return {
    service,
    endpoint,
    input,
    rows: rows.length,
    outputRows: first.output.rows.length,
    dataflex: stats(viaDataflex),
    recorded: stats(serverSide),
    lookup: stats(lookups),
    direct: stats(directly),
  };
}

async function main() {
  if (!Number.isInteger(RUNS) || RUNS < 1) {
    throw new Error(`--runs must be a positive whole number, got ${args.runs}`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-bench-demo-'));
  fs.mkdirSync(resultsDir, { recursive: true });
  const demoService = await startDemoService(
    path.join(resultsDir, 'bench-demo-service.log'),
  );
  const port = await freePort();
  const logFile = path.join(resultsDir, `bench-demo-portal-${port}.log`);
  const portal = startPortal({
    port,
    dataDir: path.join(work, 'data'),
    logFile,
    seedSamples: true,
    env: {
      APP_CONFIG_dataflex_demos_runsPerUserPerMinute: String(RUNS_PER_MINUTE),
    },
  });
  const cleanup = onExit(async () => {
    await portal.stop();
    await demoService.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });
  try {
    console.log(`Starting the portal on ${portal.baseUrl} (log: ${logFile})`);
    console.log(
      `  dataflex.demos.runsPerUserPerMinute raised from 10 to ${RUNS_PER_MINUTE} for this benchmark: all runs are one user's`,
    );
    await portal.waitUntilReady();
    const admin = await signIn(portal.baseUrl, 'admin');
    const user = await signIn(portal.baseUrl, USER);
    // Give the sample loader and the catalog's first passes time to settle.
    await sleep(5_000);

    const results = [];
    for (const service of SERVICES) {
      console.log(
        `Measuring ${service}: ${RUNS} runs through DataFlex as ${USER}, ${RUNS} direct calls, alternating`,
      );
      results.push(
        await benchmarkService(
          portal.baseUrl,
          user.token,
          admin.token,
          service,
        ),
      );
    }

    const date = new Date().toISOString().slice(0, 10);
    console.log(
      `\nDemo benchmark, ${date}: ${RUNS} runs each, ${
        os.cpus().length
      } CPUs, SQLite, the example demo service on loopback`,
    );
    table(
      'Client-side latency, ms',
      results.flatMap(r => [
        {
          measure: `${r.service} (${r.rows} rows in, ${r.outputRows} out) through DataFlex`,
          ...r.dataflex,
        },
        {
          measure: `  of which the run itself (sample, call, checks), as the backend records it`,
          ...r.recorded,
        },
        {
          measure: `  for comparison: GET …/${r.service}/stats (authentication, catalog read and a count; no run)`,
          ...r.lookup,
        },
        { measure: `  direct POST to ${r.endpoint}`, ...r.direct },
        {
          measure: '  overhead',
          p50: round(r.dataflex.p50 - r.direct.p50),
          p95: round(r.dataflex.p95 - r.direct.p95),
        },
      ]),
      [
        { key: 'measure', label: 'Measure' },
        { key: 'p50', label: 'p50 ms' },
        { key: 'p95', label: 'p95 ms' },
      ],
    );

    const reference = 'direct call to the service';
    printResult(
      'demo',
      results.flatMap(r => [
        figure(
          `Demo run, ${r.service} (${r.rows} rows), p50`,
          r.dataflex.p50,
          'ms',
          {
            reference: r.direct.p50,
            referenceLabel: reference,
          },
        ),
        figure(
          `Demo run, ${r.service} (${r.rows} rows), p95`,
          r.dataflex.p95,
          'ms',
          {
            reference: r.direct.p95,
            referenceLabel: reference,
          },
        ),
        figure(
          `Demo overhead, ${r.service}, p50`,
          round(r.dataflex.p50 - r.direct.p50),
          'ms',
        ),
      ]),
    );
  } finally {
    await cleanup();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

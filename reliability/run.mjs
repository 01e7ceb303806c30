// The reliability suite (reliability/README.md): runs the checks named on
// the command line, or all of them, against the PostgreSQL, MinIO and Kafka
// of the test command. Each check prints one PASS/FAIL line with its
// figures and writes test-results/reliability/<check>.json; the run writes
// test-results/reliability.json for the test command's summary.
import fs from 'node:fs';
import path from 'node:path';
import { concurrencyCheck } from './concurrency.mjs';
import { crashCheck } from './crash.mjs';
import { fuzzCheck } from './fuzz.mjs';
import { leakCheck } from './leaks.mjs';
import { loadCheck } from './load.mjs';
import {
  envInt,
  resultsDir,
  root,
  runName,
  writeResult,
} from './lib/common.mjs';
import { startPortal } from './lib/portal.mjs';

// The checks of the whole portal share one. It starts with the suite, while
// the checks of the backend alone run (a net gain of about a minute here).
// DATAFLEX_RELIABILITY_PORTAL_URL uses one already running instead, which
// reliability/lib/portal.mjs started for the run named by
// DATAFLEX_RELIABILITY_PORTAL_RUN (handy while working on a check).
const PORTAL_CHECKS = ['leaks', 'fuzz', 'load'];
const portalRun =
  process.env.DATAFLEX_RELIABILITY_PORTAL_RUN ?? runName('portal');
let portal;
function sharedPortal() {
  const url = process.env.DATAFLEX_RELIABILITY_PORTAL_URL;
  portal ??= url
    ? Promise.resolve({ baseUrl: url, stop: async () => {} })
    : startPortal({ run: portalRun, label: 'portal' });
  return portal;
}

const CHECKS = {
  crash: () =>
    crashCheck({ rounds: envInt('DATAFLEX_RELIABILITY_CRASH_ROUNDS', 20) }),
  concurrency: () =>
    concurrencyCheck({
      uploads: envInt('DATAFLEX_RELIABILITY_PARALLEL_UPLOADS', 50),
      decisions: envInt('DATAFLEX_RELIABILITY_DECISIONS', 20),
    }),
  leaks: async () =>
    leakCheck({ portal: await sharedPortal(), run: portalRun }),
  fuzz: async () =>
    fuzzCheck({
      portal: await sharedPortal(),
      examples: envInt('DATAFLEX_RELIABILITY_FUZZ_EXAMPLES', 5),
      minCases: envInt('DATAFLEX_RELIABILITY_FUZZ_MIN_CASES', 1000),
      seed: process.env.DATAFLEX_RELIABILITY_FUZZ_SEED
        ? envInt('DATAFLEX_RELIABILITY_FUZZ_SEED', 1)
        : undefined,
    }),
  load: async () =>
    loadCheck({
      portal: await sharedPortal(),
      connections: envInt('DATAFLEX_RELIABILITY_LOAD_CONNECTIONS', 100),
      seconds: envInt('DATAFLEX_RELIABILITY_LOAD_SECONDS', 60),
    }),
};

const requested = process.argv.slice(2);
const unknown = requested.filter(name => !(name in CHECKS));
if (unknown.length > 0) {
  console.error(
    `Unknown check(s) ${unknown.join(', ')}; the checks are ${Object.keys(
      CHECKS,
    ).join(', ')}`,
  );
  process.exit(2);
}
const selected = requested.length > 0 ? requested : Object.keys(CHECKS);

if (selected.some(name => PORTAL_CHECKS.includes(name))) {
  // Its failure is reported by the checks that need it.
  sharedPortal().catch(() => undefined);
}

async function runCheck(name) {
  const started = Date.now();
  let result;
  try {
    const figures = await CHECKS[name]();
    result = { name, ok: true, seconds: seconds(started), figures };
    console.log(
      `PASS ${name} (${result.seconds} s) ${JSON.stringify(figures)}`,
    );
  } catch (error) {
    result = {
      name,
      ok: false,
      seconds: seconds(started),
      error: error.stack ?? String(error),
      figures: error.figures,
    };
    console.log(`FAIL ${name} (${result.seconds} s): ${error.message}`);
  }
  writeResult(name, result);
  return result;
}

// One check at a time: on two cores, checks side by side only slow each
// other down.
const results = [];
for (const name of selected) {
  results.push(await runCheck(name));
}

let portalStartSeconds;
if (portal) {
  await portal
    .then(p => {
      portalStartSeconds = p.startMs && Math.round(p.startMs / 100) / 10;
      return p.stop();
    })
    .catch(() => undefined);
}

const failed = results.filter(r => !r.ok).length;
fs.writeFileSync(
  path.join(root, 'test-results', 'reliability.json'),
  `${JSON.stringify(
    { passed: results.length - failed, failed, portalStartSeconds, results },
    null,
    2,
  )}\n`,
);
console.log(
  `Reliability: ${
    results.length - failed
  } passed, ${failed} failed; details in ${path.relative(root, resultsDir)}/`,
);
process.exit(failed > 0 ? 1 : 0);

function seconds(since) {
  return Math.round((Date.now() - since) / 100) / 10;
}

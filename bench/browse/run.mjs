// The browse benchmark. Generates 10,000 datasets and 10,000 services, starts
// the portal on them (scripts/start.sh, a free port, a fresh data
// directory), waits until the catalog has them all, then measures:
//   - the catalog query API for each query the browse page sends (its rows,
//     the next page of a row, search with and without filters, the tag
//     suggestions), as a signed-in user the RBAC policy filters for, and
//     as the reference the same query as an admin, whom it does not filter;
//   - in headless Chromium, the time from navigation to the first row of
//     cards, and from typing a search to its first result.
// Prints tables, writes test-results/bench-browse.json, and ends with the
// JSON line bench/run.mjs collects.
//
// Usage: node bench/browse/run.mjs [--datasets 10000] [--services 10000]
//          [--samples 20] [--keep]
// Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH). The queries below
// mirror plugins/dataflex/src/components/BrowseQuery and BrowsePage/browseRows
// (their field lists are read from there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateEntities } from './generate.mjs';
import {
  DEMO_PASSWORD,
  freePort,
  onExit,
  poll,
  resultsDir,
  root,
  signIn,
  startPortal,
} from '../lib/portal.mjs';
import { figure, printResult, stats, table } from '../lib/report.mjs';

const { values: args } = parseArgs({
  options: {
    datasets: { type: 'string', default: '10000' },
    services: { type: 'string', default: '10000' },
    samples: { type: 'string', default: '20' },
    'browser-samples': { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const DATASETS = Number(args.datasets);
const SERVICES = Number(args.services);
const SAMPLES = Number(args.samples);
const BROWSER_SAMPLES = Number(args['browser-samples']);
const USER = 'anil';
const SEARCH_DEBOUNCE_MS = 300;

// The browse page's own field lists (plugins/dataflex), so that the
// benchmark cannot drift from what the page asks for.
const { card: CARD_FIELDS, search: SEARCH_FIELDS } = JSON.parse(
  fs.readFileSync(
    path.join(
      root,
      'plugins/dataflex/src/components/BrowseQuery/browseFields.json',
    ),
    'utf8',
  ),
);
const BY_NAME = [{ field: 'metadata.name', order: 'asc' }];
const BROWSE_KIND = { kind: { $in: ['Dataset', 'Component'] } };
const HAS_DEMO = {
  $any: [
    { 'metadata.annotations.dataflex.io/demo-pipeline': { $exists: true } },
    { 'metadata.annotations.dataflex.io/demo-endpoint': { $exists: true } },
  ],
};
const PUBLIC_DEMOS = {
  $all: [
    { kind: 'Component' },
    { 'metadata.annotations.dataflex.io/public': 'true' },
    HAS_DEMO,
  ],
};

const row = query => ({
  query,
  orderBy: BY_NAME,
  limit: 20,
  fields: CARD_FIELDS,
  totalItems: 'exclude',
});
const search = (query, term) => ({
  query,
  orderBy: BY_NAME,
  limit: 24,
  fields: CARD_FIELDS,
  totalItems: 'include',
  ...(term ? { fullTextFilter: { term, fields: SEARCH_FIELDS } } : {}),
});

/**
 * The development server restarts when sources change (others may be
 * editing the checkout); a request caught in a restart is not a sample.
 */
class PortalRestarting extends Error {}

async function waitUntilBack(baseUrl) {
  await poll('the portal to come back', 600_000, async () => {
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
    return res.ok ? true : undefined;
  });
}

async function request(baseUrl, url, init) {
  let res;
  try {
    res = await fetch(`${baseUrl}${url}`, init);
  } catch (error) {
    throw new PortalRestarting(error.message);
  }
  const json = await res.json().catch(() => undefined);
  if (res.status === 503) throw new PortalRestarting('503');
  if (!res.ok) {
    throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
  }
  return json;
}

function catalogQuery(baseUrl, token, body) {
  return request(baseUrl, '/api/catalog/entities/by-query', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

/**
 * Times `fns` (the same request as different callers) in turn, two warm-up
 * rounds and then SAMPLES rounds, so that both see the same machine load.
 */
async function measure(baseUrl, ...fns) {
  const samples = fns.map(() => []);
  const last = [];
  let restarts = 0;
  let warmUps = 2;
  while (samples[0].length < SAMPLES) {
    const elapsed = [];
    try {
      for (const [i, fn] of fns.entries()) {
        const started = performance.now();
        last[i] = await fn();
        elapsed.push(performance.now() - started);
      }
    } catch (error) {
      if (!(error instanceof PortalRestarting) || ++restarts > 10) throw error;
      await waitUntilBack(baseUrl);
      warmUps = 1;
      continue;
    }
    if (warmUps > 0) {
      warmUps--;
    } else {
      elapsed.forEach((ms, i) => samples[i].push(ms));
    }
  }
  return samples.map((s, i) => ({ ...stats(s), last: last[i] }));
}

/**
 * Waits until the catalog answers queries with every generated entity. If
 * the count stops growing short of that for five minutes (an entity the
 * catalog failed to index, e.g. when the development server restarted in
 * the middle of stitching it), it goes on with what is there.
 */
async function waitForIngestion(baseUrl, token) {
  const count = async kind =>
    (
      await catalogQuery(baseUrl, token, {
        query: { kind, 'metadata.tags': 'bench' },
        limit: 1,
        fields: ['metadata.name'],
      })
    ).totalItems;
  const started = Date.now();
  let lastReport = 0;
  let last = { datasets: -1, services: -1, since: Date.now() };
  return poll(
    'the generated entities in the catalog',
    3 * 60 * 60_000,
    async () => {
      const [datasets, services] = await Promise.all([
        count('Dataset'),
        count('Component'),
      ]);
      const now = Date.now();
      if (datasets !== last.datasets || services !== last.services) {
        last = { datasets, services, since: now };
      }
      if (now - lastReport > 60_000) {
        lastReport = now;
        console.log(
          `  … ${datasets} datasets, ${services} services after ${Math.round(
            (now - started) / 1000,
          )} s`,
        );
      }
      const complete = datasets >= DATASETS && services >= SERVICES;
      const stalled =
        now - last.since > 5 * 60_000 &&
        datasets + services >= 0.99 * (DATASETS + SERVICES);
      if (complete || stalled) {
        return { ms: last.since - started, datasets, services };
      }
      return undefined;
    },
    10_000,
  );
}

/**
 * Each query as USER, whose queries the RBAC policy filters with conditions,
 * and, as the reference, the same query as an admin, whom it does not.
 */
async function apiBenchmarks(baseUrl, token, adminToken, ownershipEntityRefs) {
  const results = [];
  const run = async (name, body) => {
    const [m, unfiltered] = await measure(
      baseUrl,
      () => catalogQuery(baseUrl, token, body()),
      () => catalogQuery(baseUrl, adminToken, body()),
    );
    results.push({
      name,
      ...m,
      items: m.last.items.length,
      last: undefined,
      reference: { ...unfiltered, last: undefined },
    });
    return m.last;
  };
  const q = body => () => body;

  const datasetsRow = await run('Row: Datasets', q(row({ kind: 'Dataset' })));
  await run('Row: Public demos', q(row(PUBLIC_DEMOS)));
  await run(
    'Row: Services',
    q(row({ $all: [{ kind: 'Component' }, { 'spec.type': 'service' }] })),
  );
  await run(
    'Row: tag (orders)',
    q(row({ $all: [BROWSE_KIND, { 'metadata.tags': 'orders' }] })),
  );
  const systems = await run(
    'Row: domain, 1. its systems',
    q({
      query: {
        kind: 'System',
        'relations.partOf': 'domain:default/machine-learning',
      },
      orderBy: BY_NAME,
      limit: 200,
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
      totalItems: 'exclude',
    }),
  );
  const systemRefs = systems.items.map(
    s => `system:${s.metadata.namespace ?? 'default'}/${s.metadata.name}`,
  );
  await run(
    'Row: domain, 2. their entities',
    q(
      row({ $all: [BROWSE_KIND, { 'relations.partOf': { $in: systemRefs } }] }),
    ),
  );
  await run(
    'Row: Owned by my teams',
    q(
      row({
        $all: [
          BROWSE_KIND,
          { 'relations.ownedBy': { $in: ownershipEntityRefs } },
        ],
      }),
    ),
  );
  await run('Row: next page (cursor)', () => ({
    cursor: datasetsRow.pageInfo.nextCursor,
    limit: 20,
    fields: CARD_FIELDS,
  }));
  await run('Search: "orders"', q(search(BROWSE_KIND, 'orders')));
  await run('Search: "00042"', q(search(BROWSE_KIND, '00042')));
  await run('Search: "zzz" (no match)', q(search(BROWSE_KIND, 'zzz')));
  await run(
    'Search: "fraud", datasets, public',
    q(
      search(
        {
          $all: [{ kind: 'Dataset' }, { 'spec.visibility': 'public' }],
        },
        'fraud',
      ),
    ),
  );
  await run(
    'Filter: tag fraud + has demo',
    q(search({ $all: [BROWSE_KIND, { 'metadata.tags': 'fraud' }, HAS_DEMO] })),
  );
  const facetsUrl =
    '/api/catalog/entity-facets?facet=metadata.tags&filter=kind=Dataset,kind=Component';
  const [facets, unfilteredFacets] = await measure(
    baseUrl,
    () =>
      request(baseUrl, facetsUrl, {
        headers: { Authorization: `Bearer ${token}` },
      }),
    () =>
      request(baseUrl, facetsUrl, {
        headers: { Authorization: `Bearer ${adminToken}` },
      }),
  );
  results.push({
    name: 'Tag suggestions (facets)',
    p50: facets.p50,
    p95: facets.p95,
    n: facets.n,
    items: facets.last.facets['metadata.tags'].length,
    reference: { ...unfilteredFacets, last: undefined },
  });
  return results;
}

async function browserBenchmarks(baseUrl) {
  // Imported late: in a fresh clone, start.sh installs playwright-core.
  const { launchBrowser, signInInBrowser } = await import('./browser.mjs');
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await signInInBrowser(page, baseUrl, USER, DEMO_PASSWORD);
    const firstCard = page
      .getByRole('region', { name: 'Public demos' })
      .getByRole('listitem')
      .first()
      .getByRole('link')
      .first();

    // The first load fills the browser cache, as a returning user has it.
    await page.goto(baseUrl);
    await firstCard.waitFor({ timeout: 120_000 });

    const firstRow = [];
    for (let i = 0; i < BROWSER_SAMPLES; i++) {
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(baseUrl, { waitUntil: 'commit' });
      await firstCard.waitFor({ timeout: 120_000 });
      firstRow.push(performance.now() - started);
    }

    const searchLatency = [];
    const terms = ['orders', 'churn', '00042', 'refunds', 'carriers'];
    for (let i = 0; i < BROWSER_SAMPLES; i++) {
      const term = terms[i % terms.length];
      await page.goto(baseUrl);
      await firstCard.waitFor({ timeout: 120_000 });
      const box = page.getByRole('searchbox', {
        name: 'Search services and datasets',
      });
      const started = performance.now();
      await box.fill(term);
      await page.waitForURL(url => url.searchParams.get('q') === term);
      await page
        .getByRole('region', { name: 'Search results' })
        .getByRole('listitem')
        .first()
        .getByRole('link')
        .first()
        .waitFor({ timeout: 120_000 });
      searchLatency.push(performance.now() - started);
    }
    return [
      { name: 'Time to first row of cards (page load)', ...stats(firstRow) },
      {
        name: `Search, typing to first result (incl. ${SEARCH_DEBOUNCE_MS} ms debounce)`,
        ...stats(searchLatency),
      },
    ];
  } finally {
    await browser.close();
  }
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-bench-'));
  const entitiesDir = path.join(work, 'entities');
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(resultsDir, { recursive: true });
  console.log(`Generating ${DATASETS} datasets and ${SERVICES} services`);
  generateEntities(entitiesDir, { datasets: DATASETS, services: SERVICES });

  const port = await freePort();
  const logFile = path.join(resultsDir, `bench-portal-${port}.log`);
  const portal = startPortal({
    port,
    dataDir,
    logFile,
    // The example organisation (its users, teams and systems) plus the
    // generated entities; relative paths are relative to packages/backend.
    locations: [
      { type: 'file', target: '../../catalog-info.yaml' },
      { type: 'file', target: '../../examples/*.yaml' },
      { type: 'file', target: path.join(entitiesDir, '*.yaml') },
    ],
  });
  const cleanup = onExit(async () => {
    await portal.stop();
    if (args.keep) {
      console.log(`Kept ${work}`);
    } else {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
  try {
    console.log(`Starting the portal on ${portal.baseUrl} (log: ${logFile})`);
    const boot = Date.now();
    await portal.waitUntilReady();
    const readyMs = Date.now() - boot;
    const admin = await signIn(portal.baseUrl, 'admin');
    console.log('Waiting for the catalog to ingest everything');
    const ingested = await waitForIngestion(portal.baseUrl, admin.token);
    const user = await signIn(portal.baseUrl, USER);
    console.log(`Measuring the catalog query API as ${USER}`);
    const api = await apiBenchmarks(
      portal.baseUrl,
      user.token,
      admin.token,
      user.identity.ownershipEntityRefs,
    );
    console.log('Measuring in headless Chromium');
    const browser = await browserBenchmarks(portal.baseUrl);

    const date = new Date().toISOString().slice(0, 10);
    const summary = {
      date,
      datasets: DATASETS,
      services: SERVICES,
      cpus: os.cpus().length,
      readySeconds: Math.round(readyMs / 1000),
      ingestSeconds: Math.round(ingested.ms / 1000),
      indexed: { datasets: ingested.datasets, services: ingested.services },
      api,
      browser,
    };
    fs.writeFileSync(
      path.join(resultsDir, 'bench-browse.json'),
      JSON.stringify(summary, null, 2),
    );
    console.log(
      `\nBrowse benchmark, ${date}: ${ingested.datasets} of ${DATASETS} datasets + ${ingested.services} of ${SERVICES} services indexed, ` +
        `${summary.cpus} CPUs, SQLite; portal ready in ${summary.readySeconds} s, ingested ${summary.ingestSeconds} s later`,
    );
    table(
      `Catalog query API as ${USER}, and the same query as admin (no RBAC conditions), ${SAMPLES} samples each`,
      api.map(r => ({
        ...r,
        adminP50: r.reference.p50,
        adminP95: r.reference.p95,
      })),
      [
        { key: 'name', label: 'Query' },
        { key: 'p50', label: 'p50 ms' },
        { key: 'p95', label: 'p95 ms' },
        { key: 'items', label: 'items' },
        { key: 'adminP50', label: 'admin p50 ms' },
        { key: 'adminP95', label: 'admin p95 ms' },
      ],
    );
    table(`Headless Chromium (${BROWSER_SAMPLES} samples each)`, browser, [
      { key: 'name', label: 'Measure' },
      { key: 'p50', label: 'p50 ms' },
      { key: 'p95', label: 'p95 ms' },
    ]);

    const scale = `${ingested.datasets + ingested.services} entities`;
    const unfiltered = 'same query as admin (no RBAC conditions)';
    printResult('browse', [
      ...api.flatMap(r =>
        ['p50', 'p95'].map(p =>
          figure(`${r.name}, ${scale}, ${p}`, r[p], 'ms', {
            reference: r.reference[p],
            referenceLabel: unfiltered,
          }),
        ),
      ),
      ...browser.flatMap(r =>
        ['p50', 'p95'].map(p => figure(`${r.name}, ${p}`, r[p], 'ms')),
      ),
      figure(
        'Catalog ingestion of the generated entities',
        summary.ingestSeconds,
        's',
      ),
    ]);
  } finally {
    await cleanup();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

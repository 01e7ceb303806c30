// Load: autocannon against the started portal, as many signed-in viewers
// browsing at once. Every connection cycles through what the pages ask
// for: the browse page's datasets row (POST /api/catalog/entities/by-query
// with the card fields, as plugins/dataflex's browse queries send it), a
// dataset page (the dataset and its versions) and the preview of its
// latest version. No request may fail (connection errors, timeouts and
// non-2xx answers all count); p50/p95/p99 are reported overall and per
// request, with the throughput.
import { createRequire } from 'node:module';
import path from 'node:path';
import { call } from './lib/api.mjs';
import {
  browseFields,
  expect,
  percentile,
  root,
  sleep,
} from './lib/common.mjs';
import { tokenOf } from './lib/portal.mjs';

const autocannon = createRequire(path.join(root, 'package.json'))('autocannon');

export async function loadCheck({ portal, connections, seconds }) {
  const base = portal.baseUrl;
  const auth = `Bearer ${await tokenOf(base, 'student')}`;
  const dataset = await previewableDataset(base, auth);

  const requests = [
    {
      name: 'browse row',
      method: 'POST',
      path: '/api/catalog/entities/by-query',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: { kind: 'Dataset' },
        orderBy: [{ field: 'metadata.name', order: 'asc' }],
        limit: 20,
        fields: browseFields.card,
        totalItems: 'exclude',
      }),
    },
    {
      name: 'dataset',
      method: 'GET',
      path: `/api/dataflex/datasets/${dataset}`,
      headers: { authorization: auth },
    },
    {
      name: 'versions',
      method: 'GET',
      path: `/api/dataflex/datasets/${dataset}/versions`,
      headers: { authorization: auth },
    },
    {
      name: 'preview',
      method: 'GET',
      path: `/api/dataflex/datasets/${dataset}/versions/latest/preview`,
      headers: { authorization: auth },
    },
  ];

  const times = new Map(requests.map(r => [r.name, []]));
  const statuses = new Map(requests.map(r => [r.name, {}]));
  const served = new WeakMap();
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 30,
    requests: requests.map(({ name, ...request }) => request),
  });
  // Each connection sends the requests in turn, one at a time, so the n-th
  // answer on a connection is for request n modulo their number.
  instance.on('response', (client, status, _bytes, responseTime) => {
    const n = served.get(client) ?? 0;
    served.set(client, n + 1);
    const { name } = requests[n % requests.length];
    times.get(name).push(responseTime);
    const counts = statuses.get(name);
    counts[status] = (counts[status] ?? 0) + 1;
  });
  const result = await instance;

  const all = [...times.values()].flat();
  const summary = values => ({
    requests: values.length,
    p50Ms: round(percentile(values, 0.5)),
    p95Ms: round(percentile(values, 0.95)),
    p99Ms: round(percentile(values, 0.99)),
  });
  const figures = {
    connections,
    seconds,
    dataset,
    requests: result.requests.total,
    perSecond: round(result.requests.average),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    ...summary(all),
    byRequest: Object.fromEntries(
      requests.map(r => [
        r.name,
        { ...summary(times.get(r.name)), statuses: statuses.get(r.name) },
      ]),
    ),
  };
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0 || result.requests.total === 0) {
    const error = new Error(
      `${failed} of ${result.requests.total} requests failed (errors ${
        result.errors
      }, timeouts ${result.timeouts}, non-2xx ${
        result.non2xx
      }: ${JSON.stringify(Object.fromEntries(statuses))})`,
    );
    error.figures = figures;
    throw error;
  }
  return figures;
}

/**
 * A dataset the student may preview: one of the examples whose sample file
 * the portal uploads once it has started (scripts/seed-samples.mjs).
 */
async function previewableDataset(base, auth) {
  const headers = { Authorization: auth };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const list = await call(base, 'GET', '/api/dataflex/datasets?limit=200', {
      headers,
    });
    for (const item of list.body?.items ?? []) {
      if (!item.latestVersion) {
        continue;
      }
      const ref = `${item.namespace}/${item.name}`;
      const preview = await call(
        base,
        'GET',
        `/api/dataflex/datasets/${ref}/versions/latest/preview`,
        {
          headers,
        },
      );
      if (preview.status === 200) {
        return ref;
      }
    }
    await sleep(2000);
  }
  expect(false, 'no dataset the student may preview appeared within 180 s');
  return undefined;
}

function round(value) {
  return value === undefined ? undefined : Math.round(value * 10) / 10;
}

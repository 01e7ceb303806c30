// Authorization leak probe, against the whole portal (real sign-in, catalog,
// search, permission policy, Kafka). anil creates a private dataset whose
// title, description, tag, column names, cell values and file name are
// random strings nobody else knows, uploads a version and grants carlos
// access. Then the student, who has no access, tries every DataFlex
// route of the OpenAPI spec (and every route once more without a token),
// the catalog API (entities, by-query as the browse page sends it, by-refs,
// by-name, by-uid, facets), search, demo runs and the permission
// explanation, and reads his notifications:
//   - none of the secret strings appears in any response body or header;
//   - a request that names the dataset (which the student may know) gets
//     the very answer the same request naming a dataset that does not exist
//     gets, the name itself aside, so the answer does not tell it exists;
//   - nothing the student tried changed the dataset.
// The Kafka events about the dataset carry only the documented fields
// (README of the backend plugin, Events) and none of the secrets besides
// the column names a version event documents.
// So that the probe can fail, the owner first finds the secrets through the
// same APIs (the dataset, the catalog entity, search).
import { randomBytes, randomUUID } from 'node:crypto';
import { call, callOk } from './lib/api.mjs';
import { browseFields, expect, requireServices, sleep } from './lib/common.mjs';
import { readTopics, topicsWithPrefix } from './lib/kafka.mjs';
import { tokenOf } from './lib/portal.mjs';

const hex = bytes => randomBytes(bytes).toString('hex');
const OWNER = 'group:default/data-platform';

export async function leakCheck({ portal, run }) {
  const services = requireServices();
  const base = portal.baseUrl;
  const bearer = token => ({ Authorization: `Bearer ${token}` });
  const anil = bearer(await tokenOf(base, 'anil'));
  const student = bearer(await tokenOf(base, 'student'));

  // Same length, so that answers can be compared byte for byte.
  const name = `vault-${hex(6)}`;
  const twin = `vault-${hex(6)}`;
  const secrets = {
    title: `Quokka ledger ${hex(5)}`,
    description: `zephyr forecast ${hex(5)}`,
    tag: `qz-${hex(5)}`,
    columnA: `zorbex_${hex(5)}`,
    columnB: `quixel_${hex(5)}`,
    cell: `cell${hex(6)}`,
    filename: `ledger-${hex(5)}.csv`,
    changeNote: `note ${hex(5)}`,
  };

  await callOk(
    base,
    'POST',
    '/api/dataflex/datasets',
    {
      headers: anil,
      body: {
        name,
        title: secrets.title,
        description: `Quarterly ${secrets.description}`,
        owner: OWNER,
        tags: [secrets.tag],
        visibility: 'private',
      },
    },
    201,
  );
  const form = new FormData();
  form.append('changeNote', secrets.changeNote);
  form.append(
    'file',
    new Blob([
      `${secrets.columnA},${secrets.columnB}\n${secrets.cell},1\n${secrets.cell}x,2\n`,
    ]),
    secrets.filename,
  );
  const uploaded = await fetch(
    `${base}/api/dataflex/datasets/default/${name}/versions`,
    {
      method: 'POST',
      headers: anil,
      body: form,
    },
  );
  expect(
    uploaded.status === 201,
    `the owner's upload answered ${uploaded.status}`,
  );
  const grant = await callOk(
    base,
    'POST',
    `/api/dataflex/datasets/default/${name}/grants`,
    { headers: anil, body: { grantee: 'user:default/carlos' } },
    201,
  );

  // The owner finds it in the catalog and in search.
  const ref = `dataset:default/${name}`;
  const entity = await waitFor(
    'the dataset in the catalog',
    120_000,
    async () => {
      const res = await call(
        base,
        'GET',
        `/api/catalog/entities/by-name/dataset/default/${name}`,
        {
          headers: anil,
        },
      );
      return res.status === 200 && res.text.includes(secrets.columnA)
        ? res.body
        : undefined;
    },
  );
  await waitFor('the dataset in search', 180_000, async () => {
    const trigger = await call(
      base,
      'POST',
      '/api/search/.backstage/scheduler/v1/tasks/search_index_software_catalog/trigger',
      { headers: anil },
    );
    if (![200, 409].includes(trigger.status)) {
      throw new Error(
        `triggering the catalog collator answered ${trigger.status}`,
      );
    }
    const res = await call(
      base,
      'GET',
      `/api/search/query?term=${encodeURIComponent(secrets.title)}`,
      { headers: anil },
    );
    return res.text.includes(name) ? true : await sleep(2000);
  });
  const ownerSees = await Promise.all([
    call(base, 'GET', `/api/dataflex/datasets/default/${name}`, {
      headers: anil,
    }),
    call(base, 'GET', `/api/catalog/entities/by-name/dataset/default/${name}`, {
      headers: anil,
    }),
    call(
      base,
      'GET',
      `/api/search/query?term=${encodeURIComponent(secrets.title)}`,
      {
        headers: anil,
      },
    ),
    call(
      base,
      'GET',
      `/api/dataflex/datasets/default/${name}/versions/1/preview`,
      {
        headers: anil,
      },
    ),
  ]);
  const control = [
    ownerSees[0].text.includes(secrets.title),
    ownerSees[1].text.includes(secrets.columnA),
    ownerSees[2].text.includes(secrets.title),
    ownerSees[3].text.includes(secrets.cell),
  ];
  expect(
    control.every(Boolean),
    `control: the owner does not find the secrets where the probe looks (${control.join(
      ', ',
    )})`,
  );

  const findings = [];
  const probe = Prober({
    base,
    name,
    twin,
    secrets,
    ids: [grant.id, entity.metadata.uid],
    findings,
  });

  // Every DataFlex route of the spec, as the student and without a token.
  const spec = await callOk(base, 'GET', '/api/dataflex/openapi.json', {
    headers: student,
  });
  const bodies = operationBodies();
  let routes = 0;
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = item[method];
      if (!operation) {
        continue;
      }
      routes += 1;
      const request = {
        method: method.toUpperCase(),
        // The served spec's paths carry the plugin's mount point.
        path: (template.startsWith('/api/')
          ? template
          : `/api/dataflex${template}`
        )
          .replace('{namespace}', 'default')
          .replace('{version}', '1'),
        ...bodies(operation.operationId),
      };
      if (operation.operationId === 'CreateDataset') {
        // Sent last, below: for the missing twin it would create it.
        continue;
      }
      await probe.check(operation.operationId, {
        ...request,
        headers: student,
      });
      await probe.check(`${operation.operationId} without a token`, request);
    }
  }
  // Everything else the student tries, in this order: `compare` where the
  // request names the dataset, `scan` where it does not, `scanPages` for
  // catalog listings.
  const get = path => ({ method: 'GET', path, headers: student });
  const post = (path, body) => ({
    method: 'POST',
    path,
    headers: student,
    body,
  });
  // The catalog, as the browse page asks it.
  const browse = extra =>
    post('/api/catalog/entities/by-query', {
      query: { kind: { $in: ['Dataset', 'Component'] } },
      orderBy: [{ field: 'metadata.name', order: 'asc' }],
      limit: 200,
      fields: browseFields.card,
      ...extra,
    });
  const probes = [
    ...['latest', '1'].flatMap(version =>
      ['content', 'preview'].map(tail => [
        'compare',
        `${tail} of version ${version}`,
        get(
          `/api/dataflex/datasets/default/{name}/versions/${version}/${tail}`,
        ),
      ]),
    ),
    [
      'compare',
      'access requests for the dataset',
      get(
        '/api/dataflex/access-requests?role=approver&dataset=dataset:default/{name}',
      ),
    ],
    [
      'compare',
      'audit log as CSV',
      get('/api/dataflex/datasets/default/{name}/audit?format=csv'),
    ],
    ['scanPages', 'browse rows (by-query)', browse({})],
    [
      'scanPages',
      'datasets (by-query)',
      browse({ query: { kind: 'Dataset' }, fields: undefined }),
    ],
    ...Object.entries(secrets).flatMap(([label, term]) => [
      [
        'scan',
        `browse search for the ${label}`,
        browse({ fullTextFilter: { term, fields: browseFields.search } }),
      ],
      [
        'scan',
        `search for the ${label}`,
        get(`/api/search/query?term=${encodeURIComponent(term)}`),
      ],
    ]),
    [
      'compare',
      'browse search for the name',
      browse({
        fullTextFilter: {
          term: '{name}',
          fields: ['metadata.name', 'metadata.title'],
        },
      }),
    ],
    ['compare', 'search for the name', get('/api/search/query?term={name}')],
    [
      'compare',
      'search for the name in datasets',
      get(
        '/api/search/query?term={name}&types%5B0%5D=software-catalog&filters%5Bkind%5D=Dataset',
      ),
    ],
    // The catalog, as its own pages ask it.
    [
      'scanPages',
      'entities (GET)',
      get('/api/catalog/entities?filter=kind=dataset'),
    ],
    [
      'compare',
      'entity by name',
      get('/api/catalog/entities/by-name/dataset/default/{name}'),
    ],
    [
      'compare',
      'entity ancestry',
      get('/api/catalog/entities/by-name/dataset/default/{name}/ancestry'),
    ],
    ['compare', 'entity by uid', get('/api/catalog/entities/by-uid/{id1}')],
    [
      'compare',
      'entities by refs',
      post('/api/catalog/entities/by-refs', {
        entityRefs: ['dataset:default/{name}'],
      }),
    ],
    [
      'compare',
      'by-query filtered on the name',
      get(
        '/api/catalog/entities/by-query?filter=kind=dataset,metadata.name={name}',
      ),
    ],
    [
      'scan',
      'facets of datasets',
      get(
        '/api/catalog/entity-facets?facet=metadata.name&facet=metadata.title&facet=metadata.tags&facet=spec.schema.columns.name&facet=relations.ownedBy&filter=kind=dataset',
      ),
    ],
    [
      'scan',
      'facets of everything',
      get(
        '/api/catalog/entity-facets?facet=metadata.name&facet=metadata.tags&facet=relations.ownerOf&facet=relations.hasPart',
      ),
    ],
    ...[
      'group/default/data-platform',
      'user/default/anil',
      'user/default/carlos',
    ].map(owner => [
      'scan',
      `the ${owner} entity`,
      get(`/api/catalog/entities/by-name/${owner}`),
    ]),
    [
      'compare',
      'demo run naming it',
      post('/api/dataflex/demos/default/{name}/runs', {}),
    ],
    [
      'compare',
      'permission explanation',
      get('/api/permission/dataflex/explain?entityRef=dataset:default/{name}'),
    ],
    ['scan', 'notifications', get('/api/notifications')],
  ];
  for (const [how, label, request] of probes) {
    await probe[how](label, request);
  }

  // Names are unique, so creating a dataset under a taken name is refused
  // whoever holds it: the one thing an outsider learns is that the name is
  // taken (counted in the figures), never by whom or what it holds.
  const taken = await probe.scan(
    'creating a dataset under its name',
    post('/api/dataflex/datasets', { name, owner: 'user:default/student' }),
    { mayEchoName: true },
  );
  const nameTakenAnswer = taken.status;

  // Nothing the student tried changed the dataset.
  const after = await callOk(
    base,
    'GET',
    `/api/dataflex/datasets/default/${name}`,
    { headers: anil },
  );
  const versions = await callOk(
    base,
    'GET',
    `/api/dataflex/datasets/default/${name}/versions`,
    {
      headers: anil,
    },
  );
  const grants = await callOk(
    base,
    'GET',
    `/api/dataflex/datasets/default/${name}/grants`,
    {
      headers: anil,
    },
  );
  expect(
    after.title === secrets.title &&
      after.visibility === 'private' &&
      versions.items.length === 1 &&
      grants.items.length === 1 &&
      grants.items[0].grantee === 'user:default/carlos',
    'the student changed the dataset, its versions or its grants',
  );

  const events = await checkEvents(services, run, name, secrets, findings);
  const figures = {
    routes,
    requests: probe.requests,
    comparedWithMissingDataset: probe.compared,
    ownerControls: control.length,
    createUnderTakenName: nameTakenAnswer,
    events,
    portalStartMs: portal.startMs,
    leaks: findings.length,
  };
  if (findings.length > 0) {
    const error = new Error(
      `${findings.length} leak(s): ${findings
        .slice(0, 3)
        .map(f => f.split('\n')[0].slice(0, 300))
        .join(' | ')}${findings.length > 3 ? ' | …' : ''}`,
    );
    error.figures = { ...figures, findings };
    throw error;
  }
  return figures;
}

/** Request bodies that pass validation, by operation. */
function operationBodies() {
  const csv = () => {
    const form = new FormData();
    form.append('file', new Blob(['a,b\n1,2\n']), 'probe.csv');
    return form;
  };
  return operationId =>
    ({
      CreateDataset: {
        body: { name: '{name}', owner: 'user:default/student' },
      },
      UpdateDataset: { body: { title: 'Taken over' } },
      CreateDatasetVersion: { form: csv },
      CreateAccessRequest: {
        body: { justification: 'Please', scope: 'version-and-later' },
      },
      DecideAccessRequest: { body: { decision: 'approve' } },
      CreateDatasetGrant: { body: { grantee: 'user:default/student' } },
      RevokeGrant: { body: {} },
      RunDemo: { body: {} },
      UpdateOwnProfile: { body: {} },
    }[operationId] ?? {});
}

/**
 * Sends requests and checks their answers. `{name}` in a request stands for
 * the dataset; `{id}`/`{id1}` for ids of its grant and entity. `compare`
 * sends it twice, naming the dataset and its missing twin.
 */
function Prober({ base, name, twin, secrets, ids, findings }) {
  const state = { requests: 0, compared: 0 };
  // Every leak is recorded, so that one run reports them all.
  const expect = (condition, message) => {
    if (!condition) {
      findings.push(message);
    }
  };
  const twinIds = ids.map(() => randomUUID());
  const fill = (text, real) =>
    text
      .replaceAll('{name}', real ? name : twin)
      .replaceAll('{id1}', real ? ids[1] : twinIds[1])
      .replaceAll('{id}', real ? ids[0] : twinIds[0]);
  const send = async (request, real) => {
    state.requests += 1;
    const init = { method: request.method, headers: { ...request.headers } };
    if (request.form) {
      init.body = request.form();
    } else if (request.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = fill(JSON.stringify(request.body), real);
    }
    const res = await fetch(`${base}${fill(request.path, real)}`, {
      ...init,
      redirect: 'manual',
    });
    const text = await res.text();
    return { status: res.status, headers: [...res.headers.entries()], text };
  };
  const assertClean = (label, res) => {
    const seen = `${JSON.stringify(res.headers)}\n${res.text}`.toLowerCase();
    for (const [what, secret] of Object.entries(secrets)) {
      expect(
        !seen.includes(secret.toLowerCase()),
        `${label}: the answer (${
          res.status
        }) shows the dataset's ${what}: ${res.text.slice(0, 300)}`,
      );
    }
  };
  // Stack traces (development mode only, as start.sh runs the portal) name
  // the lines that threw, which differ between paths to the same 404.
  const normalise = (text, real) =>
    text
      .replace(/"stack":\s*"(?:[^"\\]|\\.)*"/g, '"stack":"…"')
      .replaceAll(real ? name : twin, '<name>')
      .replaceAll(real ? ids[0] : twinIds[0], '<id>')
      .replaceAll(real ? ids[1] : twinIds[1], '<id>');
  return {
    get requests() {
      return state.requests;
    },
    get compared() {
      return state.compared;
    },
    /** The answer shows no secret and not the name. */
    async scan(label, request, { mayEchoName = false } = {}) {
      const res = await send(request, true);
      assertClean(label, res);
      expect(
        mayEchoName || !res.text.includes(name),
        `${label}: the answer (${
          res.status
        }) names the private dataset: ${res.text.slice(0, 300)}`,
      );
      return res;
    },
    /** {@link scan} over every page of a catalog listing. */
    async scanPages(label, request) {
      let cursor;
      let pages = 0;
      do {
        const paged = cursor
          ? request.method === 'POST'
            ? { ...request, body: { cursor, limit: request.body.limit } }
            : {
                ...request,
                path: `${
                  request.path.split('?')[0]
                }?cursor=${encodeURIComponent(cursor)}`,
              }
          : request;
        const res = await this.scan(`${label}, page ${++pages}`, paged);
        expect(res.status === 200, `${label}: answered ${res.status}`);
        if (res.status !== 200) {
          return;
        }
        cursor = JSON.parse(res.text).pageInfo?.nextCursor;
      } while (cursor && request.method === 'POST');
    },
    /** {@link compare} when the request names the dataset, else {@link scan}. */
    async check(label, request) {
      const named = /\{(name|id|id1)\}/.test(
        `${request.path} ${JSON.stringify(request.body ?? '')}`,
      );
      return named ? this.compare(label, request) : this.scan(label, request);
    },
    /** Shows no secret, and the same answer as for the missing twin. */
    async compare(label, request) {
      const real = await send(request, true);
      assertClean(label, real);
      const missing = await send(request, false);
      state.compared += 1;
      const [a, b] = [
        normalise(real.text, true),
        normalise(missing.text, false),
      ];
      let at = 0;
      while (at < a.length && a[at] === b[at]) {
        at += 1;
      }
      const around = text =>
        JSON.stringify(text.slice(Math.max(0, at - 60), at + 100));
      expect(
        real.status === missing.status && a === b,
        `${label}: the answer tells the dataset exists: ${real.status} ${around(
          a,
        )} vs. ${missing.status} ${around(b)} for a missing one`,
      );
    },
  };
}

/** What Kafka holds about the dataset: documented fields only. */
async function checkEvents(services, run, name, secrets, findings) {
  const expect = (condition, message) => {
    if (!condition) {
      findings.push(message);
    }
  };
  const topics = await topicsWithPrefix(services.kafkaBrokers, `${run}.`);
  const messages = await readTopics(services.kafkaBrokers, topics);
  const subject = `dataset:default/${name}`;
  const about = messages.filter(m => m.value?.subject === subject);
  expect(
    about.length >= 3,
    `Kafka: ${about.length} events about the dataset, expected its creation, version and grant`,
  );
  const documented = {
    envelope: [
      'eventId',
      'version',
      'type',
      'occurredAt',
      'actor',
      'subject',
      'data',
    ],
    dataset: ['namespace', 'name', 'owner', 'visibility', 'source'],
    version: ['version', 'format', 'size', 'rowCount', 'columns'],
  };
  const onlyKeys = (object, allowed, where) => {
    const extra = Object.keys(object ?? {}).filter(k => !allowed.includes(k));
    expect(
      extra.length === 0,
      `Kafka: ${where} carries undocumented fields ${extra.join(', ')}`,
    );
  };
  for (const message of about) {
    const { value } = message;
    onlyKeys(value, documented.envelope, message.topic);
    onlyKeys(
      value.data.dataset,
      documented.dataset,
      `${message.topic} data.dataset`,
    );
    expect(
      value.actor !== 'user:default/student',
      `Kafka: ${message.topic} reports something the student did`,
    );
    if (value.data.version) {
      onlyKeys(
        value.data.version,
        documented.version,
        `${message.topic} data.version`,
      );
    }
  }
  for (const message of messages) {
    const withoutColumns = message.raw.replace(/"columns":\[[^\]]*\]/g, '');
    for (const [what, secret] of Object.entries(secrets)) {
      expect(
        !withoutColumns.toLowerCase().includes(secret.toLowerCase()),
        `Kafka: ${message.topic} carries the dataset's ${what}`,
      );
    }
  }
  return {
    topics: topics.length,
    messages: messages.length,
    aboutTheDataset: about.length,
  };
}

async function waitFor(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    await sleep(1000);
  }
  throw new Error(
    `${what}: not within ${timeoutMs / 1000} s${
      last ? ` (${last.message})` : ''
    }`,
  );
}

// Concurrency, on two backend instances sharing one PostgreSQL, MinIO and
// Kafka (two processes of the same run):
//   - N parallel uploads to one dataset through one instance, and N more to
//     another dataset split across both: versions 1..N each, no gaps, no
//     duplicates, every number on the content of exactly one upload, both
//     instances answering the same list and the same bytes;
//   - two owners deciding one access request at the same moment (approve
//     and reject), on the same instance or on both: exactly one decision
//     wins (200), the other gets 409, both instances agree on the outcome
//     and only a winning approval leaves a grant;
//   - Kafka holds one version event per version and one decision event per
//     request.
import { call, callOk, listAll, upload, uniqueCsv } from './lib/api.mjs';
import { asUser, spawnBackend } from './lib/backend.mjs';
import {
  expect,
  percentile,
  requireServices,
  runName,
  sha256,
  sleep,
} from './lib/common.mjs';
import { readTopics } from './lib/kafka.mjs';

const anil = asUser('anil');
const priya = asUser('priya');
const student = asUser('student');
const OWNER = 'group:default/data-platform';

export async function concurrencyCheck({ uploads, decisions }) {
  const services = requireServices();
  const run = runName('concurrency');
  const figures = { uploads };
  // B loads while A starts; it starts once A has created the databases.
  const a = spawnBackend({ run, label: 'concurrency-a', notifications: true });
  const b = spawnBackend({ run, label: 'concurrency-b', notifications: true });
  try {
    await a.start();
    await b.start();
    const instances = [a, b];

    for (const name of ['parallel-one', 'parallel-both']) {
      await createDataset(a, name, 'private');
    }
    figures.oneInstance = await parallelUploads(
      'parallel-one',
      Array.from({ length: uploads }, () => a),
      instances,
    );
    figures.twoInstances = await parallelUploads(
      'parallel-both',
      Array.from({ length: uploads }, (_, i) => instances[i % 2]),
      instances,
    );

    figures.decisions = await concurrentDecisions(instances, decisions);

    // Both instances relayed their outbox rows to the same topics.
    await Promise.all(
      instances.map(i => i.runTask('dataflex-event-outbox-relay')),
    );
    figures.events = await checkEvents(
      services,
      run,
      uploads,
      figures.decisions.requests,
    );
    delete figures.decisions.requests;
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  return figures;
}

async function createDataset(backend, name, visibility) {
  await callOk(
    backend.baseUrl,
    'POST',
    '/api/dataflex/datasets',
    { headers: anil, body: { name, owner: OWNER, visibility } },
    201,
  );
}

/** Uploads one new file per entry of `through`, all at once. */
async function parallelUploads(name, through, instances) {
  const dataset = `default/${name}`;
  const contents = through.map((_, i) => uniqueCsv(4096, `${name}-${i}`));
  const started = Date.now();
  const latencies = [];
  const responses = await Promise.all(
    through.map(async (backend, i) => {
      const begin = Date.now();
      const res = await upload(backend.baseUrl, dataset, contents[i], {
        headers: anil,
        filename: `${name}-${i}.csv`,
      });
      latencies.push(Date.now() - begin);
      return res;
    }),
  );
  const wallMs = Date.now() - started;
  const n = through.length;
  const refused = responses.filter(r => r.status !== 201);
  expect(
    refused.length === 0,
    `${name}: ${refused.length} of ${n} uploads failed, e.g. ${refused[0]?.status} ${refused[0]?.text}`,
  );
  const expected = Array.from({ length: n }, (_, i) => i + 1).join();
  const numbers = responses.map(r => r.body.version).sort((x, y) => x - y);
  expect(
    numbers.join() === expected,
    `${name}: the uploads got versions ${numbers.join(', ')}`,
  );
  responses.forEach((res, i) =>
    expect(
      res.body.sha256 === sha256(contents[i]),
      `${name}: upload ${i} answered another upload's digest`,
    ),
  );

  // Every instance lists the same versions, each on the content of the
  // upload that was told its number, and serves the same bytes.
  const byNumber = new Map(
    responses.map((r, i) => [r.body.version, sha256(contents[i])]),
  );
  const lists = await Promise.all(
    instances.map(i =>
      listAll(i.baseUrl, `/api/dataflex/datasets/${dataset}/versions`, anil),
    ),
  );
  for (const [index, list] of lists.entries()) {
    const listed = list.map(v => v.version).sort((x, y) => x - y);
    expect(
      listed.join() === expected,
      `${name}: instance ${index + 1} lists ${listed.join(', ')}`,
    );
    for (const version of list) {
      expect(
        byNumber.get(version.version) === version.sha256,
        `${name}: instance ${index + 1} has version ${
          version.version
        } on other content than the upload told that number`,
      );
    }
  }
  expect(
    JSON.stringify(lists[0]) === JSON.stringify(lists[1]),
    `${name}: the two instances list different versions`,
  );
  for (const [number, digest] of byNumber) {
    const backend = instances[number % instances.length];
    const res = await fetch(
      `${backend.baseUrl}/api/dataflex/datasets/${dataset}/versions/${number}/content`,
      { headers: anil },
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(
      res.ok && sha256(bytes) === digest,
      `${name}: version ${number}'s content differs`,
    );
  }
  return {
    wallMs,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
  };
}

/**
 * `count` access requests, each decided by anil (approve) and priya
 * (reject) at the same moment: the even ones both through the first
 * instance, the odd ones through one instance each.
 */
async function concurrentDecisions([a, b], count) {
  const requests = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const name = `decide-${i}`;
      await createDataset(a, name, 'public');
      const version = await upload(
        a.baseUrl,
        `default/${name}`,
        uniqueCsv(256, name),
        {
          headers: anil,
        },
      );
      expect(
        version.status === 201,
        `${name}: upload answered ${version.status}`,
      );
      const request = await callOk(
        [a, b][i % 2].baseUrl,
        'POST',
        `/api/dataflex/datasets/default/${name}/access-requests`,
        {
          headers: student,
          body: {
            justification: 'Course project on order volumes',
            scope: 'version-and-later',
          },
        },
        201,
      );
      return { name, id: request.id };
    }),
  );

  let approvals = 0;
  let rejections = 0;
  await Promise.all(
    requests.map(async (request, i) => {
      const [approveOn, rejectOn] = i % 2 === 0 ? [a, a] : [a, b];
      const [approve, reject] = await Promise.all([
        call(
          approveOn.baseUrl,
          'POST',
          `/api/dataflex/access-requests/${request.id}/decision`,
          {
            headers: anil,
            body: { decision: 'approve' },
          },
        ),
        call(
          rejectOn.baseUrl,
          'POST',
          `/api/dataflex/access-requests/${request.id}/decision`,
          {
            headers: priya,
            body: { decision: 'reject', reason: 'Not for course work' },
          },
        ),
      ]);
      const statuses = [approve.status, reject.status].sort().join();
      expect(
        statuses === '200,409',
        `${request.name}: the two decisions answered ${approve.status} and ${reject.status}, expected one 200 and one 409 (${approve.text} / ${reject.text})`,
      );
      request.outcome = approve.status === 200 ? 'approved' : 'rejected';
      if (request.outcome === 'approved') {
        approvals += 1;
      } else {
        rejections += 1;
      }
    }),
  );

  for (const request of requests) {
    for (const [index, backend] of [a, b].entries()) {
      const seen = await callOk(
        backend.baseUrl,
        'GET',
        `/api/dataflex/access-requests/${request.id}`,
        {
          headers: student,
        },
      );
      expect(
        seen.status === request.outcome,
        `${request.name}: instance ${index + 1} says ${
          seen.status
        }, the winning decision was ${request.outcome}`,
      );
    }
    const grants = await callOk(
      b.baseUrl,
      'GET',
      `/api/dataflex/datasets/default/${request.name}/grants?status=active`,
      { headers: priya },
    );
    const forRequest = grants.items.filter(g => g.requestId === request.id);
    expect(
      forRequest.length === (request.outcome === 'approved' ? 1 : 0),
      `${request.name}: ${forRequest.length} grant(s) after the request was ${request.outcome}`,
    );
  }
  return { pairs: count, approvals, rejections, requests };
}

async function checkEvents(services, run, uploads, requests) {
  const topic = name => `${run}.dataflex.${name}`;
  const wanted = [
    topic('dataset.version-published'),
    topic('access.approved'),
    topic('access.rejected'),
  ];
  let messages = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    messages = await readTopics(services.kafkaBrokers, wanted).catch(() => []);
    const versions = messages.filter(m => m.topic === wanted[0]);
    const decided = messages.filter(m => m.topic !== wanted[0]);
    if (
      versions.length >= 2 * uploads + requests.length &&
      decided.length >= requests.length
    ) {
      break;
    }
    await sleep(500);
  }
  const distinct = list => [
    ...new Map(list.map(m => [m.value.eventId, m])).values(),
  ];
  for (const name of ['parallel-one', 'parallel-both']) {
    const numbers = distinct(
      messages.filter(
        m =>
          m.topic === wanted[0] &&
          m.value.subject === `dataset:default/${name}`,
      ),
    )
      .map(m => m.value.data.version.version)
      .sort((x, y) => x - y);
    expect(
      numbers.join() ===
        Array.from({ length: uploads }, (_, i) => i + 1).join(),
      `Kafka: ${name} has version events ${numbers.join(
        ', ',
      )}, expected 1..${uploads} once each`,
    );
  }
  for (const request of requests) {
    const decisions = distinct(
      messages.filter(
        m => m.topic !== wanted[0] && m.value.data.request?.id === request.id,
      ),
    );
    expect(
      decisions.length === 1 &&
        decisions[0].topic === topic(`access.${request.outcome}`),
      `Kafka: ${request.name} has ${
        decisions.length
      } decision event(s) (${decisions
        .map(d => d.topic)
        .join(', ')}), expected one ${request.outcome}`,
    );
  }
  return { messages: messages.length };
}

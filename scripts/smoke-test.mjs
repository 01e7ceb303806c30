// Starts the portal exactly as README's start command does (scripts/start.sh),
// on a free port with a fresh data directory, and checks what a newcomer
// would: the health endpoint, the app's HTML, the examples in the catalog,
// and that the SQLite data survives a restart. Writes test-results/smoke.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  basicAuth,
  createChecks,
  expect,
  freePort,
  poll,
  resultsDir,
  root,
  signInWithBasic,
  startPortal,
} from './lib/portal.mjs';

const { check, writeReport } = createChecks();

// The User entities of the example organisation, each with a demo account.
function exampleUsers() {
  const org = fs.readFileSync(path.join(root, 'examples/org.yaml'), 'utf8');
  return org
    .split(/^---$/m)
    .filter(doc => /^kind: User$/m.test(doc))
    .map(doc => /^ {2}name: (\S+)$/m.exec(doc)[1]);
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-smoke-'));
  const port = await freePort();
  let portal = startPortal(port, dataDir);
  let token;
  try {
    await check('backend becomes ready', () => portal.waitUntilReady());

    await check(
      'a demo user signs in with HTTP Basic and gets a Backstage token with their groups',
      async () => {
        const body = await signInWithBasic(portal.baseUrl, 'anil');
        token = body.backstageIdentity.token;
        expect(
          typeof token === 'string' && token.split('.').length === 3,
          'token is not a JWT',
        );
        const { identity } = body.backstageIdentity;
        expect(
          identity.userEntityRef === 'user:default/anil',
          `signed in as ${identity.userEntityRef}`,
        );
        expect(
          identity.ownershipEntityRefs.includes('group:default/data-platform'),
          `groups: ${identity.ownershipEntityRefs}`,
        );
      },
    );

    await check(
      'every example user signs in with the documented demo password',
      async () => {
        const users = exampleUsers();
        expect(users.length >= 20, `only ${users.length} example users`);
        for (const username of users) {
          const body = await signInWithBasic(portal.baseUrl, username);
          expect(
            body.backstageIdentity.identity.userEntityRef ===
              `user:default/${username}`,
            `${username} signed in as ${body.backstageIdentity.identity.userEntityRef}`,
          );
        }
      },
    );

    await check('a wrong password is refused', async () => {
      const res = await fetch(`${portal.baseUrl}/api/auth/local/refresh`, {
        headers: { Authorization: basicAuth('anil', 'not-the-password') },
      });
      expect(res.status === 401, `status ${res.status}`);
    });

    await check(
      'GET /api/dataflex/health answers ok to a signed-in user',
      async () => {
        const res = await fetch(`${portal.baseUrl}/api/dataflex/health`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        const body = await res.json();
        expect(
          res.status === 200,
          `status ${res.status}: ${JSON.stringify(body)}`,
        );
        expect(
          body.components.database.kind === 'better-sqlite3',
          'database is not SQLite',
        );
        expect(
          body.components.storage.kind === 'local',
          'storage is not local disk',
        );
      },
    );

    await check(
      'GET /api/dataflex/health refuses anonymous callers',
      async () => {
        const res = await fetch(`${portal.baseUrl}/api/dataflex/health`);
        expect(res.status === 401, `status ${res.status}`);
      },
    );

    await check("the app's HTML is served", async () => {
      const res = await fetch(`${portal.baseUrl}/`);
      const html = await res.text();
      expect(res.status === 200, `status ${res.status}`);
      expect(
        html.includes('<div id="root">'),
        'no app root element in the page',
      );
      expect(
        /<title>DataFlex<\/title>/.test(html),
        'page title is not DataFlex',
      );
    });

    await check(
      'the catalog lists the example datasets, as the admin sees them',
      async () => {
        const admin = (await signInWithBasic(portal.baseUrl, 'admin'))
          .backstageIdentity.token;
        const items = await poll(
          'example datasets in the catalog',
          120_000,
          async () => {
            const res = await fetch(
              `${portal.baseUrl}/api/catalog/entities/by-query?filter=kind=dataset&limit=500`,
              { headers: { Authorization: `Bearer ${admin}` } },
            );
            const body = await res.json();
            return body.items?.length >= 20 ? body.items : undefined;
          },
        );
        const names = items.map(e => e.metadata.name);
        expect(names.includes('customers'), 'customers dataset missing');
      },
    );

    await check(
      "RBAC hides another team's private dataset from a viewer",
      async () => {
        const byName = (name, bearer) =>
          fetch(
            `${portal.baseUrl}/api/catalog/entities/by-name/dataset/default/${name}`,
            {
              headers: { Authorization: `Bearer ${bearer}` },
            },
          );
        const admin = (await signInWithBasic(portal.baseUrl, 'admin'))
          .backstageIdentity.token;
        const student = (await signInWithBasic(portal.baseUrl, 'student'))
          .backstageIdentity.token;
        // fraud-labels is private to ml-platform; customers is public.
        expect(
          (await byName('fraud-labels', admin)).status === 200,
          'the admin cannot see fraud-labels',
        );
        expect(
          (await byName('fraud-labels', student)).status === 404,
          'the student can see fraud-labels',
        );
        expect(
          (await byName('customers', student)).status === 200,
          'the student cannot see customers',
        );
      },
    );

    await check(
      'the start command loads the sample files of the examples',
      async () => {
        const { backstageIdentity } = await signInWithBasic(
          portal.baseUrl,
          'anil',
        );
        await poll('customers.csv loaded as version 1', 300_000, async () => {
          const res = await fetch(
            `${portal.baseUrl}/api/dataflex/datasets/default/customers/versions`,
            { headers: { Authorization: `Bearer ${backstageIdentity.token}` } },
          );
          const body = await res.json();
          return body.items?.[0]?.version === 1 ? true : undefined;
        });
      },
    );

    await check(
      'the student runs the Customer Cleaning Pipeline demo on masked sample rows',
      async () => {
        const { backstageIdentity } = await signInWithBasic(
          portal.baseUrl,
          'student',
        );
        const headers = { Authorization: `Bearer ${backstageIdentity.token}` };
        const preview = await fetch(
          `${portal.baseUrl}/api/dataflex/datasets/default/customers/versions/1/preview`,
          { headers },
        );
        expect(
          preview.status === 404,
          `the student could preview customers (${preview.status})`,
        );
        const res = await fetch(
          `${portal.baseUrl}/api/dataflex/demos/default/customer-cleaning-pipeline/runs`,
          { method: 'POST', headers },
        );
        const run = await res.json();
        expect(
          res.status === 200,
          `demo answered ${res.status}: ${JSON.stringify(run)}`,
        );
        // 20 sample rows, two of them duplicate customers.
        expect(
          run.input.rows.length === 20 && run.output.rows.length === 18,
          `expected 20 rows in and 18 out, got ${run.input.rows.length} and ${run.output.rows.length}`,
        );
        expect(
          run.input.rows.every(
            row => row.email === '***' && row.full_name === '***',
          ),
          'the sample was not masked',
        );
        expect(
          !JSON.stringify(run).includes('@'),
          'an e-mail address left DataFlex',
        );
      },
    );

    await check(
      'the database lives in files under the data directory',
      async () => {
        const files = fs.readdirSync(path.join(dataDir, 'sqlite'));
        expect(
          files.some(f => f.startsWith('dataflex')),
          `no dataflex database in ${files}`,
        );
        expect(
          files.some(f => f.startsWith('catalog')),
          `no catalog database in ${files}`,
        );
      },
    );

    await portal.stop();
    portal = startPortal(port, dataDir);

    await check(
      'after a restart the catalog still answers from the same files',
      async () => {
        await portal.waitUntilReady();
        const fresh = (await signInWithBasic(portal.baseUrl, 'anil'))
          .backstageIdentity.token;
        // Straight after start, before any new processing round, the entities
        // can only come from the persisted database.
        const res = await fetch(
          `${portal.baseUrl}/api/catalog/entities/by-name/dataset/default/customers`,
          { headers: { Authorization: `Bearer ${fresh}` } },
        );
        expect(res.status === 200, `customers answered ${res.status}`);
      },
    );
  } finally {
    await portal.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const failed = writeReport(path.join(resultsDir, 'smoke.json'));
  if (failed) {
    console.log(`Portal log: ${portal.logFile}`);
    process.exit(1);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

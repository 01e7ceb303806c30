// Loads the example datasets' sample files into the embedded portal, the way
// a person would: for every Dataset with a `dataflex.io/sample-file`
// annotation and no version yet, a member of its owning team signs in with
// the demo password and uploads the file through the API. Safe to run again:
// datasets that have a version are left alone. Started by scripts/start.sh.
import fs from 'node:fs';
import path from 'node:path';
import { poll, signInWithBasic } from './lib/portal.mjs';

const baseUrl = process.argv[2] ?? 'http://localhost:7007';
const SAMPLE_FILE = 'dataflex.io/sample-file';
const log = message => console.log(`[dataflex seed] ${message}`);

const tokens = new Map();
async function tokenFor(username) {
  if (!tokens.has(username)) {
    const body = await signInWithBasic(baseUrl, username);
    tokens.set(username, body.backstageIdentity.token);
  }
  return tokens.get(username);
}

async function api(token, url, init = {}) {
  const res = await fetch(`${baseUrl}${url}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function datasetsWithSamples(token) {
  const items = [];
  let cursor;
  do {
    const query = cursor
      ? `cursor=${encodeURIComponent(cursor)}`
      : `filter=kind=dataset,metadata.annotations.${SAMPLE_FILE}&limit=100`;
    const { body } = await api(
      token,
      `/api/catalog/entities/by-query?${query}`,
    );
    items.push(...body.items);
    cursor = body.pageInfo?.nextCursor;
  } while (cursor);
  return items;
}

// The sample sits next to the descriptor that registered the dataset.
function sampleFile(entity) {
  const location =
    entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? '';
  if (!location.startsWith('file:')) return undefined;
  const folder = path.dirname(location.slice('file:'.length));
  const file = path.resolve(folder, entity.metadata.annotations[SAMPLE_FILE]);
  return file.startsWith(`${folder}${path.sep}`) && fs.existsSync(file)
    ? file
    : undefined;
}

async function uploaderFor(adminToken, ownerRef) {
  const [kind, rest] = ownerRef.split(':');
  const [namespace, name] = rest.split('/');
  if (kind === 'user') return name;
  const { body } = await api(
    adminToken,
    `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
  );
  const member = body?.relations?.find(r => r.type === 'hasMember')?.targetRef;
  return member?.split('/')[1];
}

async function main() {
  await poll('the backend', 600_000, async () => {
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).catch(
      () => undefined,
    );
    return res?.ok ? true : undefined;
  });
  const admin = await tokenFor('admin');
  const entities = await poll(
    'the example datasets in the catalog',
    300_000,
    async () => {
      const found = await datasetsWithSamples(admin);
      return found.length > 0 ? found : undefined;
    },
  );

  let loaded = 0;
  for (const entity of entities) {
    const { namespace = 'default', name } = entity.metadata;
    const file = sampleFile(entity);
    const owner = entity.relations?.find(r => r.type === 'ownedBy')?.targetRef;
    const username = owner && (await uploaderFor(admin, owner));
    if (!file || !username) {
      log(
        `skipping ${name}: ${
          file ? 'no member of its owning team' : 'no sample file'
        }`,
      );
      continue;
    }
    const token = await tokenFor(username);
    const versions = await api(
      token,
      `/api/dataflex/datasets/${namespace}/${name}/versions?limit=1`,
    );
    if (versions.status === 200 && versions.body.items.length > 0) continue;

    const form = new FormData();
    form.set('changeNote', 'Sample data from examples/');
    form.set('file', new Blob([fs.readFileSync(file)]), path.basename(file));
    const upload = await api(
      token,
      `/api/dataflex/datasets/${namespace}/${name}/versions`,
      {
        method: 'POST',
        body: form,
      },
    );
    if (upload.status === 201) {
      loaded++;
    } else {
      log(
        `could not load ${name} as ${username}: ${upload.status} ${
          upload.body?.error?.message ?? ''
        }`,
      );
    }
  }
  log(
    `loaded ${loaded} sample file(s); ${
      entities.length - loaded
    } already there or skipped`,
  );
}

main().catch(error => {
  log(`stopped: ${error.message}`);
  process.exit(1);
});

// Calls to a DataFlex backend's API, and uploads built the way a browser
// sends them (multipart/form-data with the file in field `file`).
import { randomBytes } from 'node:crypto';

/** One JSON call; the body is parsed when it is JSON. */
export async function call(baseUrl, method, path, { headers = {}, body } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { ...(await readAnswer(res)), headers: res.headers };
}

/** Like {@link call}, but anything other than `expected` is an error. */
export async function callOk(baseUrl, method, path, options, expected = 200) {
  const res = await call(baseUrl, method, path, options);
  if (res.status !== expected) {
    throw new Error(
      `${method} ${path} answered ${
        res.status
      }, expected ${expected}: ${res.text.slice(0, 300)}`,
    );
  }
  return res.body;
}

/** Uploads `content` as the next version of `namespace/name`. */
export async function upload(
  baseUrl,
  dataset,
  content,
  { headers = {}, filename = 'data.csv', changeNote } = {},
) {
  const form = new FormData();
  if (changeNote !== undefined) {
    form.append('changeNote', changeNote);
  }
  form.append('file', new Blob([content], { type: 'text/csv' }), filename);
  const res = await fetch(
    `${baseUrl}/api/dataflex/datasets/${dataset}/versions`,
    {
      method: 'POST',
      headers,
      body: form,
    },
  );
  return readAnswer(res);
}

/** The status and text of an answer, and its body when that is JSON. */
async function readAnswer(res) {
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

/** Every item of a cursor-paginated list. */
export async function listAll(baseUrl, path, headers) {
  const items = [];
  let cursor;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await callOk(
      baseUrl,
      'GET',
      `${path}${separator}limit=200${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`,
      { headers },
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** A CSV of about `bytes` bytes whose rows no other upload has. */
export function uniqueCsv(bytes, tag) {
  const header = 'id,tag,payload\n';
  const rowBytes = `${tag},`.length + 56;
  const rows = Math.max(1, Math.ceil((bytes - header.length) / rowBytes));
  const hex = randomBytes(rows * 24).toString('hex');
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    lines.push(`${i},${tag},${hex.slice(i * 48, i * 48 + 48)}\n`);
  }
  return Buffer.from(lines.join(''));
}

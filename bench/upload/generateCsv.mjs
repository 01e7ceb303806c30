// Writes a CSV of about `bytes` bytes, streamed in 1 MiB chunks so memory
// stays flat whatever the size. The rows come from a seeded generator, so
// the same size always gives the same content (and digest).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';

const HEADER =
  'order_id,created_at,customer_id,country,status,currency,amount,items,note\n';
const COUNTRIES = ['DE', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE', 'US', 'GB', 'JP'];
const STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'refunded'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'SEK', 'PLN', 'JPY'];
const NOTES = [
  'gift wrap',
  'leave at the door',
  '',
  'call before delivery',
  'express',
  '',
  'business address; ring twice',
];
const CHUNK_BYTES = 1024 * 1024;
const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);

/** Park–Miller: small, fast and the same on every machine. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

/**
 * Writes the file and resolves with its exact size and SHA-256. The last row
 * that fits is the last row written, so the file is at most `bytes` long.
 */
export async function generateCsv(file, bytes) {
  const next = random(42);
  const pick = list => list[Math.floor(next() * list.length)];
  const out = fs.createWriteStream(file);
  const hash = createHash('sha256');
  let size = 0;
  let chunk = HEADER;
  let id = 0;
  const flush = async () => {
    const buffer = Buffer.from(chunk, 'utf8');
    hash.update(buffer);
    size += buffer.length;
    chunk = '';
    if (!out.write(buffer)) await once(out, 'drain');
  };
  for (;;) {
    id++;
    const row = `${id},${new Date(
      START + Math.floor(next() * 365 * DAY_MS),
    ).toISOString()},C${String(Math.floor(next() * 1e6)).padStart(
      7,
      '0',
    )},${pick(COUNTRIES)},${pick(STATUSES)},${pick(CURRENCIES)},${(
      next() * 1000
    ).toFixed(2)},${1 + Math.floor(next() * 9)},${pick(NOTES)}\n`;
    // Every character is ASCII, so string length is byte length.
    if (size + chunk.length + row.length > bytes) break;
    chunk += row;
    if (chunk.length >= CHUNK_BYTES) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { size, sha256: hash.digest('hex'), rows: id - 1 };
}

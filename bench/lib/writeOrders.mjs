// The orders-like rows the upload and inference benchmarks generate, in
// whatever text format the caller makes of them. The fields come from a
// seeded generator, so the same size always gives the same content (and
// digest), and the file is streamed in 1 MiB chunks so memory stays flat
// whatever the size.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';

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
const SEED = 42;

/** Park–Miller: small, fast and the same on every machine. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

/**
 * Draws an order's fields one at a time, in the order the caller asks for
 * them: each format has always drawn them in its own order, and another
 * order would give other values, so other files than the benchmarks'
 * recorded results were measured on.
 */
function orderFields(next) {
  const pick = list => list[Math.floor(next() * list.length)];
  return {
    createdAt: () =>
      new Date(START + Math.floor(next() * 365 * DAY_MS)).toISOString(),
    customerId: () => `C${String(Math.floor(next() * 1e6)).padStart(7, '0')}`,
    country: () => pick(COUNTRIES),
    status: () => pick(STATUSES),
    currency: () => pick(CURRENCIES),
    /** Two decimals, as text. */
    amount: () => (next() * 1000).toFixed(2),
    items: () => 1 + Math.floor(next() * 9),
    /** Sometimes empty. */
    note: () => pick(NOTES),
  };
}

/**
 * Writes `header`, then `line(id, order)` for order 1, 2, … while it fits,
 * and resolves with the file's exact size, SHA-256 and row count. The last
 * line that fits is the last line written, so the file is at most `bytes`
 * long. Lines must be ASCII.
 */
export async function writeOrders(file, bytes, { header = '', line }) {
  const order = orderFields(random(SEED));
  const out = fs.createWriteStream(file);
  const hash = createHash('sha256');
  let size = 0;
  let chunk = header;
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
    const row = line(id, order);
    // Every character is ASCII, so string length is byte length.
    if (size + chunk.length + row.length > bytes) break;
    chunk += row;
    if (chunk.length >= CHUNK_BYTES) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  const state = hash.copy();
  return {
    size,
    sha256: hash.digest('hex'),
    rows: id - 1,
    /** The SHA-256 the file would have with `suffix` appended. */
    sha256With: suffix => state.copy().update(suffix).digest('hex'),
  };
}

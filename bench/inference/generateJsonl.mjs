// Writes a JSON Lines file of about `bytes` bytes with the same orders-like
// rows as generateCsv.mjs (one object per line, `note` null when empty),
// streamed in 1 MiB chunks from a seeded generator: the same size always
// gives the same content.
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

function random(seed) {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

/** Writes the file and resolves with its exact size and row count. */
export async function generateJsonl(file, bytes) {
  const next = random(42);
  const pick = list => list[Math.floor(next() * list.length)];
  const out = fs.createWriteStream(file);
  let size = 0;
  let chunk = '';
  let id = 0;
  const flush = async () => {
    const buffer = Buffer.from(chunk, 'utf8');
    size += buffer.length;
    chunk = '';
    if (!out.write(buffer)) await once(out, 'drain');
  };
  for (;;) {
    id++;
    const note = pick(NOTES);
    const row = `${JSON.stringify({
      order_id: id,
      created_at: new Date(
        START + Math.floor(next() * 365 * DAY_MS),
      ).toISOString(),
      customer_id: `C${String(Math.floor(next() * 1e6)).padStart(7, '0')}`,
      country: pick(COUNTRIES),
      status: pick(STATUSES),
      currency: pick(CURRENCIES),
      amount: Number((next() * 1000).toFixed(2)),
      items: 1 + Math.floor(next() * 9),
      note: note || null,
    })}\n`;
    // Every character is ASCII, so string length is byte length.
    if (size + chunk.length + row.length > bytes) break;
    chunk += row;
    if (chunk.length >= CHUNK_BYTES) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { size, rows: id - 1 };
}

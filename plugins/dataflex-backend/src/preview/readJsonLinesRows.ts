import { parseObject } from '../inference/JsonLinesInspector';
import { PreviewSource } from './PreviewSource';

/**
 * The first objects of a JSON Lines file from its first bytes, as rows in
 * the order of the version's columns. A line cut off by the end of those
 * bytes is dropped.
 */
export async function readJsonLinesRows(
  source: PreviewSource,
): Promise<unknown[][]> {
  const { head, complete, limit, version } = source;
  const lines = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\n');
  if (!complete) {
    lines.pop();
  }
  const rows: unknown[][] = [];
  for (const [index, line] of lines.entries()) {
    if (rows.length >= limit) {
      break;
    }
    if (line.trim()) {
      const value = parseObject(line, index + 1);
      rows.push(version.columns.map(c => value[c.name] ?? null));
    }
  }
  return rows;
}

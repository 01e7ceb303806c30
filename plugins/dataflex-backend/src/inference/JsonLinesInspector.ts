import { StringDecoder } from 'node:string_decoder';
import { VersionColumn } from '@dataflex/backstage-plugin-dataflex-common';
import { UnprocessableContentError } from '../service/errors';
import { classifyJson, ColumnTypeTracker } from './ColumnTypeTracker';
import {
  FormatInspector,
  InspectedContent,
  MAX_COLUMNS,
  MAX_RECORD_BYTES,
} from './FormatInspector';

/**
 * Checks JSON Lines as they stream past: every non-blank line must be a JSON
 * object. Columns are the union of the objects' keys in order of first
 * appearance; a key missing from some objects makes its column nullable.
 */
export class JsonLinesInspector implements FormatInspector {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private line = 0;
  private rows = 0;
  private readonly columns = new Map<string, ColumnTypeTracker>();

  static create(): JsonLinesInspector {
    return new JsonLinesInspector();
  }

  private constructor() {}

  async write(chunk: Buffer): Promise<void> {
    const text = this.pending + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) {
      this.onLine(line);
    }
    if (Buffer.byteLength(this.pending) > MAX_RECORD_BYTES) {
      throw new UnprocessableContentError(
        `Line ${this.line + 1} is longer than ${MAX_RECORD_BYTES} bytes`,
      );
    }
  }

  async end(): Promise<InspectedContent> {
    this.onLine(this.pending + this.decoder.end());
    this.pending = '';
    const columns: VersionColumn[] = [...this.columns].map(
      ([name, tracker]) => ({ name, ...tracker.result(this.rows) }),
    );
    return { format: 'jsonl', columns, rowCount: this.rows };
  }

  private onLine(raw: string) {
    this.line += 1;
    const line = this.line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!line.trim()) {
      return;
    }
    const value = parseObject(line, this.line);
    this.rows += 1;
    for (const [key, field] of Object.entries(value)) {
      let tracker = this.columns.get(key);
      if (!tracker) {
        if (this.columns.size >= MAX_COLUMNS) {
          throw new UnprocessableContentError(
            `Line ${this.line} brings the number of distinct keys past ${MAX_COLUMNS}, the most supported`,
          );
        }
        tracker = ColumnTypeTracker.create();
        this.columns.set(key, tracker);
      }
      if (field !== null) {
        tracker.observe(classifyJson(field));
      }
    }
  }
}

/** Parses one JSON Lines line, which must hold a JSON object. */
export function parseObject(
  line: string,
  lineNumber: number,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new UnprocessableContentError(
      `Line ${lineNumber} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnprocessableContentError(
      `Line ${lineNumber} is not a JSON object; JSON Lines needs one object per line`,
    );
  }
  return value as Record<string, unknown>;
}

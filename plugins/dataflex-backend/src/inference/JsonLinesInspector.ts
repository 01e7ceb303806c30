import { VersionColumn } from '@dataflex/backstage-plugin-dataflex-common';
import { UnprocessableContentError } from '../service/errors';
import { classifyJson, ColumnTypeTracker } from './ColumnTypeTracker';
import {
  FormatInspector,
  InspectedContent,
  MAX_COLUMNS,
  MAX_RECORD_BYTES,
} from './FormatInspector';

const LF = 0x0a;

/**
 * Checks JSON Lines as they stream past: every non-blank line must be a JSON
 * object. Columns are the union of the objects' keys in order of first
 * appearance; a key missing from some objects makes its column nullable.
 * Lines are found in the bytes, so only one line at a time is decoded.
 */
export class JsonLinesInspector implements FormatInspector {
  // The start of a line that continues in the next chunk.
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private line = 0;
  private rows = 0;
  private readonly columns = new Map<string, ColumnTypeTracker>();

  static create(): JsonLinesInspector {
    return new JsonLinesInspector();
  }

  private constructor() {}

  async write(chunk: Buffer): Promise<void> {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(LF, start);
      if (end < 0) {
        break;
      }
      if (this.partialBytes > 0) {
        this.partial.push(chunk.subarray(start, end));
        this.onLine(
          Buffer.concat(this.partial),
          0,
          this.partialBytes + end - start,
        );
        this.partial = [];
        this.partialBytes = 0;
      } else {
        this.onLine(chunk, start, end);
      }
      start = end + 1;
    }
    if (start < chunk.length) {
      // Copied: the caller may reuse the chunk.
      this.partial.push(Buffer.from(chunk.subarray(start)));
      this.partialBytes += chunk.length - start;
      if (this.partialBytes > MAX_RECORD_BYTES) {
        throw new UnprocessableContentError(
          `Line ${this.line + 1} is longer than ${MAX_RECORD_BYTES} bytes`,
        );
      }
    }
  }

  async end(): Promise<InspectedContent> {
    if (this.partialBytes > 0) {
      this.onLine(Buffer.concat(this.partial), 0, this.partialBytes);
    }
    const columns: VersionColumn[] = [...this.columns].map(
      ([name, tracker]) => ({ name, ...tracker.result(this.rows) }),
    );
    return { format: 'jsonl', columns, rowCount: this.rows };
  }

  private onLine(bytes: Buffer, start: number, end: number) {
    this.line += 1;
    const text = bytes.toString('utf8', start, end);
    const line = this.line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (!line.trim()) {
      return;
    }
    const value = parseObject(line, this.line);
    this.rows += 1;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) {
        continue;
      }
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
      const field = value[key];
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

import { UnprocessableContentError } from '../service/errors';
import { MAX_RECORD_BYTES } from './FormatInspector';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/** What a {@link CsvScanner} reports as it reads. */
export interface CsvScannerHandler {
  /**
   * How many bytes of field `index` of the current record to collect; 0
   * collects none. A longer value arrives as `undefined`.
   */
  collect(index: number): number;
  /**
   * One field: its bytes, if collected, are `value[start..end)` (only valid
   * during the call, quotes already removed); `empty` tells whether it has
   * any bytes at all.
   */
  field(
    index: number,
    value: Buffer | undefined,
    start: number,
    end: number,
    empty: boolean,
  ): void;
  /** The end of a record of `fields` fields, on line `line`. */
  record(fields: number, line: number): void;
}

/**
 * A streaming RFC 4180 CSV scanner working on bytes: quoted fields with
 * doubled quotes inside, LF, CRLF or CR line ends, a leading UTF-8 BOM, and
 * blank lines skipped. It copies only the field bytes its handler asks for,
 * so typing and counting a large file costs little more than reading it
 * (a general CSV parser builds a string for every field). Malformed input
 * throws an UnprocessableContentError naming the line.
 */
export class CsvScanner {
  private state = FIELD_START;
  private line = 1;
  private fieldIndex = 0;
  private fieldBytes = 0;
  private collectLimit = 0;
  private scratch = Buffer.alloc(256);
  private scratchLength = 0;
  private overflow = false;
  // A field's bytes stay in the chunk they arrived in, uncopied, unless the
  // field spans chunks or contains doubled quotes.
  private pending: Buffer | undefined;
  private pendingFrom = 0;
  private pendingTo = 0;
  private recordBytes = 0;
  private skipLineFeed = false;
  // The first bytes, held back until it is clear whether they are a BOM.
  private start: Buffer | undefined = Buffer.alloc(0);

  static create(options: {
    delimiter: string;
    handler: CsvScannerHandler;
  }): CsvScanner {
    const delimiter = Buffer.from(options.delimiter);
    if (delimiter.length !== 1) {
      throw new Error('The CSV delimiter must be a single byte');
    }
    return new CsvScanner(delimiter[0], options.handler);
  }

  private constructor(
    private readonly delimiter: number,
    private readonly handler: CsvScannerHandler,
  ) {}

  write(input: Buffer): void {
    let chunk = input;
    let i = 0;
    if (this.start) {
      chunk = Buffer.concat([this.start, input]);
      if (chunk.length < UTF8_BOM.length) {
        this.start = chunk;
        return;
      }
      this.start = undefined;
      if (chunk.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) {
        i = UTF8_BOM.length;
      }
    }
    const n = chunk.length;
    const delimiter = this.delimiter;
    // Where the current field's bytes in this chunk begin, or -1.
    let segment = this.state === UNQUOTED || this.state === QUOTED ? i : -1;
    let recordStart = i;

    for (; i < n; i++) {
      const b = chunk[i];
      if (this.state === UNQUOTED) {
        if (b === delimiter) {
          this.append(chunk, segment, i);
          segment = -1;
          this.endField();
          this.state = FIELD_START;
        } else if (b === LF || b === CR) {
          this.append(chunk, segment, i);
          segment = -1;
          this.recordBytes += i - recordStart;
          recordStart = i + 1;
          this.endLine(b);
        } else if (b === QUOTE) {
          throw this.malformed(
            'a quote appears inside an unquoted field; quote the whole field and double the quotes inside it',
          );
        }
      } else if (this.state === QUOTED) {
        if (b === QUOTE) {
          this.append(chunk, segment, i);
          segment = -1;
          this.state = QUOTE_IN_QUOTED;
        } else if (b === LF) {
          this.line += 1;
        }
      } else if (this.state === FIELD_START) {
        if (this.skipLineFeed) {
          this.skipLineFeed = false;
          if (b === LF) {
            recordStart = i + 1;
            continue;
          }
        }
        if (b === QUOTE) {
          this.startField();
          this.state = QUOTED;
          segment = i + 1;
        } else if (b === delimiter) {
          this.startField();
          this.endField();
        } else if (b === LF || b === CR) {
          this.recordBytes += i - recordStart;
          recordStart = i + 1;
          this.endLine(b);
        } else {
          this.startField();
          this.state = UNQUOTED;
          segment = i;
        }
      } else if (b === QUOTE) {
        // The second of two quotes is content.
        segment = i;
        this.state = QUOTED;
      } else if (b === delimiter) {
        this.endField();
        this.state = FIELD_START;
      } else if (b === LF || b === CR) {
        this.recordBytes += i - recordStart;
        recordStart = i + 1;
        this.endLine(b);
      } else {
        throw this.malformed(
          'text follows the closing quote of a field; double quotes inside a quoted field',
        );
      }
    }
    if (segment >= 0) {
      this.append(chunk, segment, n);
    }
    // The caller may reuse the chunk once this returns.
    this.materialize();
    this.recordBytes += n - recordStart;
    if (this.recordBytes > MAX_RECORD_BYTES) {
      throw new UnprocessableContentError(
        `The record on line ${this.line} is longer than ${MAX_RECORD_BYTES} bytes`,
      );
    }
  }

  /** Ends the input; a last record without a line break still counts. */
  end(): void {
    if (this.start) {
      const rest = this.start;
      this.start = undefined;
      this.write(rest);
    }
    if (this.state === QUOTED) {
      throw this.malformed('a quoted field is never closed');
    }
    if (this.state !== FIELD_START || this.fieldIndex > 0) {
      this.endLine(LF);
    }
  }

  private malformed(why: string): UnprocessableContentError {
    return new UnprocessableContentError(
      `The file is not valid CSV: ${why} (line ${this.line})`,
    );
  }

  private startField() {
    this.fieldBytes = 0;
    this.scratchLength = 0;
    this.overflow = false;
    this.pending = undefined;
    this.collectLimit = this.handler.collect(this.fieldIndex);
  }

  private append(chunk: Buffer, from: number, to: number) {
    const length = to - from;
    if (length <= 0) {
      return;
    }
    this.fieldBytes += length;
    if (this.overflow || this.collectLimit <= 0) {
      return;
    }
    if (this.fieldBytes > this.collectLimit) {
      this.overflow = true;
      this.pending = undefined;
      return;
    }
    if (!this.pending && this.scratchLength === 0) {
      this.pending = chunk;
      this.pendingFrom = from;
      this.pendingTo = to;
      return;
    }
    this.materialize();
    this.copy(chunk, from, to);
  }

  private materialize() {
    if (this.pending) {
      const chunk = this.pending;
      this.pending = undefined;
      this.copy(chunk, this.pendingFrom, this.pendingTo);
    }
  }

  private copy(chunk: Buffer, from: number, to: number) {
    const length = to - from;
    if (this.scratchLength + length > this.scratch.length) {
      const grown = Buffer.alloc(
        Math.max(this.scratch.length * 2, this.scratchLength + length),
      );
      this.scratch.copy(grown, 0, 0, this.scratchLength);
      this.scratch = grown;
    }
    chunk.copy(this.scratch, this.scratchLength, from, to);
    this.scratchLength += length;
  }

  private endField() {
    const empty = this.fieldBytes === 0;
    if (this.pending) {
      this.handler.field(
        this.fieldIndex,
        this.pending,
        this.pendingFrom,
        this.pendingTo,
        empty,
      );
      this.pending = undefined;
    } else if (this.collectLimit > 0 && !this.overflow) {
      this.handler.field(
        this.fieldIndex,
        this.scratch,
        0,
        this.scratchLength,
        empty,
      );
    } else {
      this.handler.field(this.fieldIndex, undefined, 0, 0, empty);
    }
    this.fieldIndex += 1;
  }

  private endLine(terminator: number) {
    const blank = this.state === FIELD_START && this.fieldIndex === 0;
    if (!blank) {
      if (this.state === FIELD_START) {
        // A delimiter ended the line: the last field is empty.
        this.startField();
      }
      this.endField();
      this.handler.record(this.fieldIndex, this.line);
    }
    this.state = FIELD_START;
    this.fieldIndex = 0;
    this.recordBytes = 0;
    this.line += 1;
    this.skipLineFeed = terminator === CR;
  }
}

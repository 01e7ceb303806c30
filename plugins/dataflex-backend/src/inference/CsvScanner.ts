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
  /**
   * Optional, for speed: a whole record of unquoted fields that all lie in
   * one chunk, in place of `collect`, `field` and `record`. Field `k` is
   * `chunk[starts[k]..ends[k])`; the arguments are only valid during the
   * call.
   */
  plainRecord?(
    chunk: Buffer,
    starts: Int32Array,
    ends: Int32Array,
    fields: number,
    line: number,
  ): void;
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
  // The bounds of the unquoted fields of the current record in the chunk.
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  // Where `scanPlain` left off: the start of the current record, and the
  // end of the field it left to the general path.
  private recordStart = 0;
  private plainEnd = 0;
  // 1 for the bytes that end or quote a field: one load per byte tells
  // whether an unquoted field goes on.
  private readonly special = new Uint8Array(256);
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
  ) {
    for (const b of [delimiter, QUOTE, LF, CR]) {
      this.special[b] = 1;
    }
  }

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
    const special = this.special;
    // Where the current field's bytes in this chunk begin, or -1.
    let segment = this.state === UNQUOTED || this.state === QUOTED ? i : -1;
    this.recordStart = i;

    // Each state scans ahead in a tight loop; runs of unquoted fields, the
    // common case, go through scanPlain.
    while (i < n) {
      const state = this.state;
      if (state === FIELD_START) {
        if (this.skipLineFeed) {
          this.skipLineFeed = false;
          if (chunk[i] === LF) {
            i += 1;
            this.recordStart = i;
            continue;
          }
        }
        i = this.scanPlain(chunk, i);
        if (i === n) {
          break;
        }
        this.startField();
        if (chunk[i] === QUOTE) {
          this.state = QUOTED;
          i += 1;
          segment = i;
        } else {
          // A field that goes on in the next chunk, or has a quote in it.
          this.state = UNQUOTED;
          segment = i;
          i = this.plainEnd;
        }
      } else if (state === UNQUOTED) {
        while (i + 1 < n && special[chunk[i]] === 0) {
          i += 1;
        }
        const b = chunk[i];
        if (b === delimiter) {
          this.append(chunk, segment, i);
          segment = -1;
          this.endField();
          this.state = FIELD_START;
        } else if (b === LF || b === CR) {
          this.append(chunk, segment, i);
          segment = -1;
          this.recordBytes += i - this.recordStart;
          this.recordStart = i + 1;
          this.endLine(b);
        } else if (b === QUOTE) {
          throw this.malformed(
            'a quote appears inside an unquoted field; quote the whole field and double the quotes inside it',
          );
        }
        i += 1;
      } else if (state === QUOTED) {
        let line = this.line;
        let b = chunk[i];
        while (b !== QUOTE && i + 1 < n) {
          if (b === LF) {
            line += 1;
          }
          i += 1;
          b = chunk[i];
        }
        if (b === QUOTE) {
          this.append(chunk, segment, i);
          segment = -1;
          this.state = QUOTE_IN_QUOTED;
        } else if (b === LF) {
          line += 1;
        }
        this.line = line;
        i += 1;
      } else {
        const b = chunk[i];
        if (b === QUOTE) {
          // The second of two quotes is content.
          segment = i;
          this.state = QUOTED;
        } else if (b === delimiter) {
          this.endField();
          this.state = FIELD_START;
        } else if (b === LF || b === CR) {
          this.recordBytes += i - this.recordStart;
          this.recordStart = i + 1;
          this.endLine(b);
        } else {
          throw this.malformed(
            'text follows the closing quote of a field; double quotes inside a quoted field',
          );
        }
        i += 1;
      }
    }
    if (segment >= 0) {
      this.append(chunk, segment, n);
    }
    // The caller may reuse the chunk once this returns.
    this.materialize();
    this.recordBytes += n - this.recordStart;
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

  /**
   * Unquoted fields from `chunk[from]` on, one after the other, as long as
   * each ends in this chunk: their bounds are noted, and a record goes to
   * the handler in one call when it ends. Returns where it stopped: the end
   * of the chunk, or the start of a field it leaves to the general path
   * (quoted, or unquoted up to `plainEnd`, where a quote or the end of the
   * chunk is). Kept apart from `write` so that V8 optimizes this loop alone.
   */
  private scanPlain(chunk: Buffer, from: number): number {
    const n = chunk.length;
    const delimiter = this.delimiter;
    const handler = this.handler;
    const special = this.special;
    let starts = this.starts;
    let ends = this.ends;
    let index = this.fieldIndex;
    let line = this.line;
    // Fields before `first` went to the handler one by one.
    let first = index;
    let i = from;
    let j = i;
    while (i < n) {
      j = i;
      while (j < n && special[chunk[j]] === 0) {
        j += 1;
      }
      if (j === n) {
        break;
      }
      const end = chunk[j];
      if (end === QUOTE) {
        break;
      }
      if (j > i || index > 0 || end === delimiter) {
        if (index === starts.length) {
          starts = this.grow();
          ends = this.ends;
        }
        starts[index] = i;
        ends[index] = j;
        index += 1;
        if (end === delimiter) {
          i = j + 1;
          continue;
        }
        if (first === 0 && handler.plainRecord) {
          handler.plainRecord(chunk, starts, ends, index, line);
        } else {
          this.passFields(chunk, first, index);
          handler.record(index, line);
        }
        index = 0;
        first = 0;
      }
      // The end of a record, or a blank line.
      line += 1;
      this.recordBytes = 0;
      i = j + 1;
      this.recordStart = i;
      if (end === CR) {
        if (i === n) {
          this.skipLineFeed = true;
        } else if (chunk[i] === LF) {
          i += 1;
          this.recordStart = i;
        }
      }
    }
    // The fields of the record so far go to the handler one by one.
    this.passFields(chunk, first, index);
    this.fieldIndex = index;
    this.line = line;
    this.plainEnd = j;
    return i;
  }

  private grow(): Int32Array {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
    return starts;
  }

  /** Hands fields `from` to `to` of the noted bounds over one by one. */
  private passFields(chunk: Buffer, from: number, to: number) {
    const handler = this.handler;
    for (let k = from; k < to; k++) {
      const start = this.starts[k];
      const end = this.ends[k];
      const limit = handler.collect(k);
      if (limit > 0 && limit >= end - start) {
        handler.field(k, chunk, start, end, start === end);
      } else {
        handler.field(k, undefined, 0, 0, start === end);
      }
    }
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

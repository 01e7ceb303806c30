import { IncomingHttpHeaders } from 'node:http';

/**
 * Stages of an upload at which the reliability suite's crash test
 * (reliability/README.md in the repository) kills the backend.
 */
export type CrashStage =
  | 'before-storage'
  | 'mid-multipart'
  | 'after-storage'
  | 'after-commit';

const STAGES: readonly string[] = [
  'before-storage',
  'mid-multipart',
  'after-storage',
  'after-commit',
];

/** The header naming an upload's stage when `DATAFLEX_CRASH_AT=per-request`. */
export const CRASH_AT_HEADER = 'x-dataflex-crash-at';

/**
 * How much of a file passes before `mid-multipart` halts: more than one part
 * of the smallest size S3 allows (5 MiB), so that a store uploading parts of
 * that size has a multipart upload open with a part in it.
 */
export const MID_MULTIPART_BYTES = 6 * 1024 * 1024;

// Read once, and never in production: the hook exists for test processes
// started with the variable set.
const mode =
  process.env.NODE_ENV === 'production'
    ? undefined
    : process.env.DATAFLEX_CRASH_AT;

/**
 * The stage at which an upload is to halt, for a test hook that is off
 * unless `DATAFLEX_CRASH_AT` is set: to a stage, every upload halts there;
 * to `per-request`, an upload halts at the stage its `x-dataflex-crash-at`
 * header names, so that one process can hold uploads at several stages when
 * it is killed.
 */
export function crashStageOf(
  headers: IncomingHttpHeaders,
): CrashStage | undefined {
  if (!mode) {
    return undefined;
  }
  const stage = mode === 'per-request' ? headers[CRASH_AT_HEADER] : mode;
  return typeof stage === 'string' && STAGES.includes(stage)
    ? (stage as CrashStage)
    : undefined;
}

/**
 * Where an upload reaches `stage`: when it is the upload's crash stage, the
 * process announces it on stderr (`DATAFLEX_CRASH_POINT <stage>`) and the
 * upload waits there for good, for the test to kill -9 the process at
 * exactly that point.
 */
export function crashPoint(
  crashStage: CrashStage | undefined,
  stage: CrashStage,
): Promise<void> | void {
  if (crashStage !== stage) {
    return undefined;
  }
  process.stderr.write(`DATAFLEX_CRASH_POINT ${stage}\n`);
  return new Promise(() => {});
}

// Starts the reliability backend (plugins/dataflex-backend/src/reliability/
// __testUtils__/reliabilityBackend.ts) as a child process: the real DataFlex
// plugin, permission backend and Kafka sink on the test command's
// PostgreSQL, MinIO and Kafka, with simulated sign-in. The suite kills it
// with SIGKILL, starts it again, and asks it for janitor passes over IPC.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { resultsDir, root } from './common.mjs';

const ENTRY = path.join(
  root,
  'plugins/dataflex-backend/src/reliability/__testUtils__/reliabilityBackend.ts',
);
const NODE_TRANSFORM = createRequire(path.join(root, 'package.json')).resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);
// Compiled code cached across the many starts of one run, and across runs.
const COMPILE_CACHE = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'dataflex',
  'reliability-compile-cache',
);
const READY_TIMEOUT_MS = 180_000;

/** The tokens the simulated sign-in accepts, for the test organisation. */
export function userToken(name) {
  return `mock-user-token:${JSON.stringify({ sub: `user:default/${name}` })}`;
}

export function asUser(name) {
  return { Authorization: `Bearer ${userToken(name)}` };
}

/**
 * Starts one backend process for `run` (processes of the same run share
 * databases, bucket prefix and topics). With `crashHook`, uploads halt at
 * the stage their `x-dataflex-crash-at` header names (DATAFLEX_CRASH_AT=
 * per-request) and announce it on stderr. `notifications` adds the
 * notifications backend, which access requests notify.
 */
export async function startBackend(options) {
  return spawnBackend(options).start();
}

/**
 * Spawns a backend process that loads its code and then waits: `start()`
 * starts the backend in it. The crash test keeps the next process waiting
 * like this while it kills the current one, so that what a restart costs is
 * the backend starting (plugins, database, storage), not Node loading code.
 */
export function spawnBackend({
  run,
  label,
  crashHook = false,
  notifications = false,
}) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const logFile = path.join(resultsDir, `${label}.log`);
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    NODE_COMPILE_CACHE: COMPILE_CACHE,
    DATAFLEX_RELIABILITY_RUN: run,
    DATAFLEX_RELIABILITY_STANDBY: '1',
  };
  if (crashHook) {
    env.DATAFLEX_CRASH_AT = 'per-request';
  } else {
    delete env.DATAFLEX_CRASH_AT;
  }
  if (notifications) {
    env.DATAFLEX_RELIABILITY_NOTIFICATIONS = '1';
  }
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, ['--require', NODE_TRANSFORM, ENTRY], {
    cwd: path.join(root, 'plugins/dataflex-backend'),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env,
  });
  log.write(`── ${label} spawned (pid ${child.pid})\n`);

  const crashPoints = [];
  const crashWaiters = [];
  let stderrLine = '';
  child.stdout.pipe(log, { end: false });
  child.stderr.on('data', data => {
    log.write(data);
    stderrLine += data.toString();
    const lines = stderrLine.split('\n');
    stderrLine = lines.pop();
    for (const line of lines) {
      const match = /^DATAFLEX_CRASH_POINT (\S+)$/.exec(line.trim());
      if (match) {
        crashPoints.push(match[1]);
        crashWaiters.forEach(wake => wake());
      }
    }
  });

  const exited = new Promise(resolve => {
    child.on('exit', (code, signal) => {
      log.write(`── ${label} exited (${signal ?? `code ${code}`})\n`);
      resolve({ code, signal });
    });
  });
  const taskWaiters = new Map();
  const messages = { loaded: undefined, ready: undefined };
  const waiters = { loaded: [], ready: [] };
  child.on('message', message => {
    if (message?.type === 'loaded' || message?.type === 'ready') {
      messages[message.type] = message;
      waiters[message.type].forEach(wake => wake());
    } else if (message?.type === 'task-done') {
      taskWaiters.get(message.id)?.(message);
      taskWaiters.delete(message.id);
    }
  });
  // Resolves with the message, or rejects when the process exits first or
  // takes too long.
  const until = (type, timeoutMs) =>
    new Promise((resolve, reject) => {
      if (messages[type]) {
        resolve(messages[type]);
        return;
      }
      const timer = setTimeout(
        () =>
          reject(
            new Error(`${label} was not ${type} within ${timeoutMs / 1000} s`),
          ),
        timeoutMs,
      );
      waiters[type].push(() => {
        clearTimeout(timer);
        resolve(messages[type]);
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${label} exited before it was ${type} (${
              signal ?? `code ${code}`
            }); see ${path.relative(root, logFile)}`,
          ),
        );
      });
    });
  const loaded = until('loaded', READY_TIMEOUT_MS).then(
    () => Date.now() - spawnedAt,
  );
  loaded.catch(() => undefined);

  const handle = {
    pid: child.pid,
    logFile,
    crashPoints,
    /** Starts the backend; resolves once it listens. */
    async start() {
      let port;
      const startedAt = Date.now();
      try {
        handle.loadMs = await loaded;
        child.send({ type: 'start' });
        ({ port } = await until('ready', READY_TIMEOUT_MS));
      } catch (error) {
        child.kill('SIGKILL');
        throw error;
      }
      handle.startMs = Date.now() - startedAt;
      handle.baseUrl = `http://127.0.0.1:${port}`;
      return handle;
    },
    /** Waits until `stages` have all been announced (in any order). */
    async waitForCrashPoints(stages, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const reached = () => stages.every(s => crashPoints.includes(s));
      while (!reached()) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(
            `uploads did not reach ${stages
              .filter(s => !crashPoints.includes(s))
              .join(', ')} within ${timeoutMs / 1000} s`,
          );
        }
        await new Promise(resolve => {
          crashWaiters.push(resolve);
          setTimeout(resolve, Math.min(left, 500));
        });
      }
    },
    /** Runs one of the plugin's scheduled tasks to its end. */
    async runTask(id) {
      const done = new Promise(resolve => taskWaiters.set(id, resolve));
      child.send({ type: 'run-task', id });
      const result = await done;
      if (result.error) {
        throw new Error(`Task ${id} failed: ${result.error}`);
      }
    },
    /** kill -9, and wait until the process is gone. */
    async kill() {
      child.kill('SIGKILL');
      const { signal } = await exited;
      return signal;
    },
    /** A clean stop, for the end of a check. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return handle;
}

// Starts the portal as README's start command does (scripts/start.sh) on a
// free port with a fresh data directory and configuration overrides, signs in
// to it, and finds its backend process to watch its memory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import {
  DEMO_PASSWORD,
  signInWithBasic,
  startPortal as startScriptPortal,
} from '../../scripts/lib/portal.mjs';

export {
  DEMO_PASSWORD,
  freePort,
  poll,
  resultsDir,
  root,
  sleep,
} from '../../scripts/lib/portal.mjs';

/**
 * Runs `cleanup` once when the script ends, also on Ctrl-C or SIGTERM: the
 * portal runs in its own process group and would otherwise outlive us.
 */
export function onExit(cleanup) {
  let done;
  const run = () => {
    done ??= Promise.resolve().then(cleanup);
    return done;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      run().finally(() => process.exit(130));
    });
  }
  return run;
}

/**
 * Starts the portal. `locations` replace the configured catalog locations,
 * and `env` adds configuration (the app config reads `APP_CONFIG_*`
 * variables as JSON where they parse, over app-config.yaml). The examples'
 * sample files are uploaded only when `seedSamples` is set.
 */
export function startPortal({
  port,
  dataDir,
  logFile,
  locations,
  env = {},
  seedSamples = false,
}) {
  return startScriptPortal(port, dataDir, {
    logFile,
    env: {
      ...(locations
        ? { APP_CONFIG_catalog_locations: JSON.stringify(locations) }
        : {}),
      DATAFLEX_SEED_SAMPLES: seedSamples ? '1' : '0',
      ...env,
    },
    // The first start in a fresh checkout installs and builds first.
    readyTimeoutMs: 1_800_000,
  });
}

/**
 * Signs in as a demo account with HTTP Basic on the local provider (see
 * plugins/auth-backend-module-dataflex-local-provider) and returns the
 * Backstage identity. A catalog busy with the benchmarks' entities may take
 * a while to read the User, so this waits longer than the tests do.
 */
export async function signIn(baseUrl, username, password = DEMO_PASSWORD) {
  const body = await signInWithBasic(baseUrl, username, {
    password,
    timeoutMs: 300_000,
  });
  return body.backstageIdentity;
}

/**
 * The process listening on a TCP port: `scripts/start.sh` runs the backend
 * as a child of `backstage-cli`, so the process we started is not the one
 * to watch. Linux only (reads /proc).
 */
export function listeningPid(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines = [];
    try {
      lines = fs.readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const columns = line.trim().split(/\s+/);
      const localPort = parseInt(columns[1].split(':').pop(), 16);
      // 0A is TCP_LISTEN.
      if (localPort === port && columns[3] === '0A') inodes.add(columns[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target;
      try {
        target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match && inodes.has(match[1])) return Number(entry);
    }
  }
  return undefined;
}

/** A process's resident set size in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

let clockTicks;
/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSeconds(pid) {
  clockTicks ??= Number(
    execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
  );
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces; the fields after it do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of proc(5), 12 and 13 from here.
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/**
 * Watches a process until stopped: its RSS when it started, the highest RSS
 * sampled every `intervalMs`, and the CPU time it used meanwhile.
 */
export function watchProcess(pid, intervalMs = 50) {
  const before = rssBytes(pid);
  const cpuBefore = cpuSeconds(pid);
  let peak = before;
  let samples = 1;
  const sample = () => {
    try {
      peak = Math.max(peak, rssBytes(pid));
      samples++;
    } catch {
      // The process is gone; whatever it was doing fails and says so.
    }
  };
  const timer = setInterval(sample, intervalMs);
  let result;
  return {
    stop() {
      if (!result) {
        clearInterval(timer);
        sample();
        result = {
          before,
          peak,
          samples,
          cpuSeconds: cpuSeconds(pid) - cpuBefore,
        };
      }
      return result;
    },
  };
}

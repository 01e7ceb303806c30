// What every browser test shares: Debian's Chromium driven by playwright-core,
// the portal started as README's start command starts it (on a free port with
// a fresh data directory), signing in through the form, named checks with a
// JSON report, and a time limit for the whole run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  createChecks,
  DEMO_PASSWORD,
  freePort,
  poll,
  resultsDir,
  signInWithBasic,
  startPortal,
} from '../../scripts/lib/portal.mjs';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags Debian's Chromium runs headless with on these machines. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots and other artifacts of the browser tests. */
export const artifactsDir = path.join(resultsDir, 'e2e');

/** How long a page may take to show what a check waits for. */
export const PAGE_TIMEOUT_MS = 60_000;

/**
 * Waits until the start command's background upload of the examples' sample
 * files has reached `customers` (the last thing a test needs), so checks
 * never race it on a busy machine.
 */
export async function waitForExampleSamples(baseUrl, username) {
  const { backstageIdentity } = await signInWithBasic(baseUrl, username);
  await poll('customers.csv loaded as version 1', 300_000, async () => {
    const res = await fetch(
      `${baseUrl}/api/dataflex/datasets/default/customers`,
      { headers: { Authorization: `Bearer ${backstageIdentity.token}` } },
    );
    const body = await res.json();
    return body.latestVersion === 1 ? true : undefined;
  });
}

// Playwright cannot download browsers here; Debian's package is the browser.
function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) {
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium) or run as root`,
    );
  }
  console.log("Chromium not found; installing Debian's chromium package");
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const run = spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (run.status !== 0) {
      throw new Error(`apt-get ${args.join(' ')} failed`);
    }
  }
}

async function launch(userDataDir) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: CHROMIUM_FLAGS,
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  return context;
}

/** The sign-in form's parts, and the sidebar that shows once signed in. */
export function signInForm(page) {
  return {
    username: page.locator('#dataflex-sign-in-username'),
    password: page.locator('#dataflex-sign-in-password'),
    submit: page.getByRole('button', { name: 'Sign in' }),
    sidebar: page.locator('nav[aria-label="sidebar nav"]'),
  };
}

/** Signs in through the form with the demo password, as a person would. */
export async function signInThroughForm(page, baseUrl, username) {
  const form = signInForm(page);
  await page.goto(baseUrl);
  await form.username.fill(username);
  await form.password.fill(DEMO_PASSWORD);
  await form.submit.click();
  await form.sidebar.waitFor({ state: 'attached' });
}

/** Saves a screenshot under test-results/e2e/ and prints where it went. */
export async function screenshot(page, name, options = {}) {
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  console.log(`    screenshot: ${path.relative(process.cwd(), file)}`);
  return file;
}

/**
 * A portal that is already running (DATAFLEX_E2E_BASE_URL), for working on a
 * test without waiting for a fresh start each time.
 */
function runningPortal(baseUrl) {
  return {
    baseUrl: baseUrl.replace(/\/$/, ''),
    logFile: undefined,
    async waitUntilReady() {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (!res.ok) {
        throw new Error(`${baseUrl} is not ready (${res.status})`);
      }
    },
    async stop() {},
  };
}

/**
 * Runs one browser test: checks that Chromium is there, starts the portal,
 * waits until it knows `user` (the catalog reads the example users a little
 * after readiness), opens Chromium and hands `test` the portal, the browser
 * context, its page and `check`. Stops everything afterwards, writes
 * test-results/<report> and ends the process with one line,
 * `N passed, N failed`, failing when a check failed or the whole run took
 * longer than `timeoutMs`.
 */
export async function runBrowserTest(options) {
  const { report, user, timeoutMs, test } = options;
  const { check, results, writeReport } = createChecks();
  const reportFile = path.join(resultsDir, report);
  const finish = (failed, logFile) => {
    console.log(`${results.length - failed} passed, ${failed} failed`);
    if (failed) {
      if (logFile) console.log(`Portal log: ${logFile}`);
      process.exit(1);
    }
  };

  try {
    ensureChromium();
  } catch (error) {
    await check('Chromium is available', () => Promise.reject(error));
    finish(writeReport(reportFile));
    return;
  }
  fs.mkdirSync(artifactsDir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-browser-'));
  const userDataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'dataflex-chromium-'),
  );
  const portal = process.env.DATAFLEX_E2E_BASE_URL
    ? runningPortal(process.env.DATAFLEX_E2E_BASE_URL)
    : startPortal(await freePort(), dataDir);
  let context;
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`the test did not finish within ${timeoutMs / 1000} s`),
        ),
      timeoutMs,
    );
  });
  const run = async () => {
    await check(`the portal becomes ready and knows ${user}`, async () => {
      await portal.waitUntilReady();
      await signInWithBasic(portal.baseUrl, user);
    });
    if (!results[results.length - 1].ok) {
      return;
    }
    context = await launch(userDataDir);
    const page = context.pages()[0] ?? (await context.newPage());
    // A failed check leaves a picture of what the browser showed.
    let failures = 0;
    const checkWithScreenshot = async (name, fn) => {
      const before = results.length;
      await check(name, fn);
      if (results.length > before && !results[results.length - 1].ok) {
        failures += 1;
        await screenshot(
          page,
          `${path.basename(report, '.json')}-failure-${failures}`,
          {
            fullPage: true,
          },
        ).catch(() => {});
      }
    };
    await test({ portal, context, page, check: checkWithScreenshot });
  };
  try {
    await Promise.race([run(), deadline]);
  } catch (error) {
    results.push({ name: 'browser test run', ok: false, error: error.message });
    console.log(`  ✕ browser test run: ${error.message}`);
  } finally {
    clearTimeout(timer);
    // Closing the browser also ends whatever a timed-out test still awaits.
    await context?.close().catch(() => {});
    await portal.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  finish(writeReport(reportFile), portal.logFile);
}

// Browser test of sign-in, in Debian's Chromium driven by playwright-core:
// starts the portal as README's start command does, signs in through the
// form as a demo user, sees the catalog, signs out, and checks that the old
// session cookie is dead. Writes test-results/browser.json and screenshots,
// and ends with one line, `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  createChecks,
  DEMO_PASSWORD,
  expect,
  freePort,
  resultsDir,
  signInWithBasic,
  startPortal,
} from '../scripts/lib/portal.mjs';

const CHROMIUM = '/usr/bin/chromium';
const SESSION_COOKIE = 'dataflex-local-session';
const { check, results, writeReport } = createChecks();

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
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function sessionCookie(context) {
  return (await context.cookies()).find(c => c.name === SESSION_COOKIE);
}

async function main() {
  try {
    ensureChromium();
  } catch (error) {
    await check('Chromium is available', () => Promise.reject(error));
    writeReport(path.join(resultsDir, 'browser.json'));
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-browser-'));
  const userDataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'dataflex-chromium-'),
  );
  const portal = startPortal(await freePort(), dataDir);
  let context;
  try {
    await check(
      'the portal becomes ready and knows the demo users',
      async () => {
        await portal.waitUntilReady();
        // The form is what is under test; this only waits for the catalog to
        // have read the example users, so the form is not raced against it.
        await signInWithBasic(portal.baseUrl, 'anil');
      },
    );

    context = await launch(userDataDir);
    const page = context.pages()[0] ?? (await context.newPage());
    const username = page.locator('#dataflex-sign-in-username');
    const password = page.locator('#dataflex-sign-in-password');
    const submit = page.getByRole('button', { name: 'Sign in' });
    const sidebar = page.locator('nav[aria-label="sidebar nav"]');

    await check('the app opens on the sign-in form', async () => {
      await page.goto(portal.baseUrl);
      await username.waitFor({ timeout: 60_000 });
      await page.screenshot({
        path: path.join(resultsDir, 'browser-sign-in-page.png'),
      });
    });

    await check('a wrong password is refused with a message', async () => {
      await username.fill('anil');
      await password.fill('not-the-password');
      await submit.click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(
        text.includes('Incorrect username or password'),
        `the page says: ${text}`,
      );
      expect(
        (await sessionCookie(context)) === undefined,
        'a session cookie was set',
      );
    });

    let signedInCookie;
    await check('anil signs in through the form', async () => {
      await username.fill('anil');
      await password.fill(DEMO_PASSWORD);
      await submit.click();
      await sidebar.waitFor({ state: 'attached', timeout: 60_000 });
      signedInCookie = await sessionCookie(context);
      expect(signedInCookie, 'no session cookie after sign-in');
      expect(signedInCookie.httpOnly, 'the session cookie is not http-only');
      expect(
        signedInCookie.sameSite === 'Lax',
        `SameSite=${signedInCookie.sameSite}`,
      );
      expect(
        !(await page.evaluate(() => document.cookie)).includes(SESSION_COOKIE),
        'scripts in the page can read the session cookie',
      );
    });

    await check('the catalog page lists entities', async () => {
      await page.goto(`${portal.baseUrl}/catalog`);
      // Rows that link to an entity page, not the table's empty-state row.
      const entityLinks = page.locator(
        'table tbody tr a[href*="/catalog/default/"]',
      );
      await entityLinks.first().waitFor({ timeout: 60_000 });
      const count = await entityLinks.count();
      expect(count > 0, 'the catalog table lists no entities');
      await page.screenshot({
        path: path.join(resultsDir, 'browser-catalog.png'),
      });
    });

    await check('a reload keeps the session', async () => {
      await page.reload();
      await sidebar.waitFor({ state: 'attached', timeout: 60_000 });
      expect((await username.count()) === 0, 'the sign-in form is shown again');
    });

    await check('signing out from the settings page', async () => {
      await page.goto(`${portal.baseUrl}/settings`);
      await page.getByRole('button', { name: 'more' }).click();
      await page.getByRole('menuitem', { name: /sign out/i }).click();
      await username.waitFor({ timeout: 60_000 });
    });

    await check('after a reload the sign-in form is shown again', async () => {
      await page.reload();
      await username.waitFor({ timeout: 60_000 });
      expect(
        (await sessionCookie(context)) === undefined,
        'the browser kept the session cookie',
      );
    });

    await check('the old session cookie no longer refreshes', async () => {
      expect(signedInCookie, 'no cookie was captured at sign-in');
      const res = await fetch(`${portal.baseUrl}/api/auth/local/refresh`, {
        headers: {
          Cookie: `${SESSION_COOKIE}=${signedInCookie.value}`,
          'X-Requested-With': 'XMLHttpRequest',
        },
      });
      expect(res.status === 401, `refresh answered ${res.status}`);
    });
  } catch (error) {
    results.push({ name: 'browser test run', ok: false, error: error.message });
    console.log(`  ✕ browser test run: ${error.message}`);
  } finally {
    await context?.close();
    await portal.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }

  const failed = writeReport(path.join(resultsDir, 'browser.json'));
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (failed) {
    console.log(`Portal log: ${portal.logFile}`);
    process.exit(1);
  }
}

main().catch(error => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});

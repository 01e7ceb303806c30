// Headless Chromium (Debian's, driven by playwright-core) signed in to the
// portal through its sign-in page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../e2e/lib/browser.mjs';

/** A fresh browser profile; close() also removes it. */
export async function launchBrowser() {
  const userDataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'dataflex-chromium-'),
  );
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in on the app's sign-in page with a local account. The session is a
 * cookie, so later pages of the same context are signed in too.
 */
export async function signInInBrowser(page, baseUrl, username, password) {
  await page.goto(baseUrl);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: /sign in/i }).click();
  await form.waitFor({ state: 'detached', timeout: 60_000 });
}

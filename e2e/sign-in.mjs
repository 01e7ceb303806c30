// Browser test of sign-in, in Debian's Chromium driven by playwright-core:
// starts the portal as README's start command does, signs in through the
// form as a demo user, sees the catalog, signs out, and checks that the old
// session cookie is dead. Writes test-results/browser.json and screenshots
// (test-results/e2e/), and ends with one line, `N passed, N failed`.
import { DEMO_PASSWORD, expect } from '../scripts/lib/portal.mjs';
import { runBrowserTest, screenshot, signInForm } from './lib/browser.mjs';

const SESSION_COOKIE = 'dataflex-local-session';

async function sessionCookie(context) {
  return (await context.cookies()).find(c => c.name === SESSION_COOKIE);
}

await runBrowserTest({
  report: 'browser.json',
  // The catalog must have read the example users before the form is tried;
  // the form itself is what is under test.
  user: 'anil',
  timeoutMs: 8 * 60_000,
  test: async ({ portal, context, page, check }) => {
    const { username, password, submit, sidebar } = signInForm(page);

    await check('the app opens on the sign-in form', async () => {
      await page.goto(portal.baseUrl);
      await username.waitFor();
      await screenshot(page, 'sign-in-page');
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
      await sidebar.waitFor({ state: 'attached' });
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
      await entityLinks.first().waitFor();
      const count = await entityLinks.count();
      expect(count > 0, 'the catalog table lists no entities');
      await screenshot(page, 'sign-in-catalog');
    });

    await check('a reload keeps the session', async () => {
      await page.reload();
      await sidebar.waitFor({ state: 'attached' });
      expect((await username.count()) === 0, 'the sign-in form is shown again');
    });

    await check('signing out from the settings page', async () => {
      await page.goto(`${portal.baseUrl}/settings`);
      await page.getByRole('button', { name: 'more' }).click();
      await page.getByRole('menuitem', { name: /sign out/i }).click();
      await username.waitFor();
    });

    await check('after a reload the sign-in form is shown again', async () => {
      await page.reload();
      await username.waitFor();
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
  },
});

// Browser test of access requests, in Debian's Chromium driven by
// playwright-core, against the portal as README's start command starts it:
// the student asks for access to a public dataset of data-platform from its
// page, anil (a data-platform member) finds the request in Pending approvals
// and approves it, sees the grant and the access log (and its CSV), and the
// student then finds the request approved in My requests and downloads
// exactly the bytes of the granted version. Writes
// test-results/access-requests.json and screenshots (test-results/e2e/), and
// ends with one line, `N passed, N failed`.
import fs from 'node:fs';
import path from 'node:path';
import { expect, root } from '../scripts/lib/portal.mjs';
import {
  runBrowserTest,
  screenshot,
  signInForm,
  signInThroughForm,
  waitForExampleSamples,
} from './lib/browser.mjs';

const DATASET = '/catalog/default/dataset/customers';
// The start command loads this file as the dataset's first version.
const SAMPLE = path.join(root, 'examples/data/customers.csv');

async function signOut(page, baseUrl) {
  await page.goto(`${baseUrl}/settings`);
  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: /sign out/i }).click();
  await signInForm(page).username.waitFor();
}

/** Clicks what starts a download and returns the saved file's bytes. */
async function download(page, trigger) {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const failure = await file.failure();
  expect(!failure, `the download failed: ${failure}`);
  return {
    name: file.suggestedFilename(),
    bytes: fs.readFileSync(await file.path()),
  };
}

await runBrowserTest({
  report: 'access-requests.json',
  user: 'student',
  timeoutMs: 10 * 60_000,
  test: async ({ portal, page, check }) => {
    const base = portal.baseUrl;

    await check('the examples’ sample files are loaded', () =>
      waitForExampleSamples(base, 'student'),
    );

    await check(
      'the student sees Request access on a public dataset without access',
      async () => {
        await signInThroughForm(page, base, 'student');
        await page.goto(`${base}${DATASET}`);
        await page.getByRole('button', { name: 'Request access' }).waitFor();
        await page.getByText('You need access to see the content.').waitFor();
        await screenshot(page, 'access-request-button', { fullPage: true });
      },
    );

    await check('the request form refuses an empty justification', async () => {
      await page.getByRole('button', { name: 'Request access' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Send request' }).click();
      await dialog.getByText('Say why you need the data').waitFor();
    });

    await check('the student sends a request and sees it pending', async () => {
      const dialog = page.getByRole('dialog');
      const justification = 'Master thesis on customer churn, aggregated only';
      await dialog
        .getByRole('textbox', { name: 'Justification' })
        .fill(justification);
      await dialog.getByText(`${justification.length} / 2000`).waitFor();
      await screenshot(page, 'access-request-dialog');
      await dialog.getByRole('button', { name: 'Send request' }).click();
      await page.getByText(/Access requested \(version \d+\)/).waitFor();
      expect(
        (await page.getByRole('button', { name: 'Request access' }).count()) ===
          0,
        'the Request access button is still offered',
      );
      await screenshot(page, 'access-request-pending');
    });

    await check(
      'My requests lists the request as pending, with Withdraw',
      async () => {
        await page.goto(`${base}/dataflex/access`);
        const table = page.getByRole('table', { name: 'My requests' });
        const row = table.getByRole('row').filter({ hasText: 'customers' });
        await row.getByText('Pending').waitFor();
        await row
          .getByRole('button', { name: 'Withdraw request for customers' })
          .waitFor();
      },
    );

    await check(
      'anil, an owner, sees the request counted in the sidebar',
      async () => {
        await signOut(page, base);
        await signInThroughForm(page, base, 'anil');
        const nav = signInForm(page).sidebar;
        const item = nav.getByRole('link', { name: /Access requests/ });
        await item.waitFor();
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll('nav a')].some(
              a =>
                /Access requests/.test(a.textContent ?? '') &&
                a.getAttribute('href')?.includes('tab=approvals'),
            ),
          undefined,
          { timeout: 30_000 },
        );
        await item.click();
        await page.getByRole('table', { name: 'Pending approvals' }).waitFor();
      },
    );

    await check('anil approves it in Pending approvals', async () => {
      const table = page.getByRole('table', { name: 'Pending approvals' });
      const row = table.getByRole('row').filter({ hasText: 'student' });
      await row.getByText('Master thesis on customer churn').waitFor();
      await screenshot(page, 'access-pending-approvals', { fullPage: true });
      await row
        .getByRole('button', {
          name: 'Approve request from student on customers',
        })
        .click();
      await page.getByText('Approved 1 request.').waitFor();
      await screenshot(page, 'access-approved');
    });

    await check(
      "the dataset's access panel lists the student's grant",
      async () => {
        await page.goto(`${base}${DATASET}`);
        const grants = page.getByRole('table', { name: 'Grants' });
        const row = grants.getByRole('row').filter({ hasText: 'student' });
        await row.getByText('Active').waitFor();
        await row
          .getByRole('button', {
            name: 'Revoke access of user:default/student',
          })
          .waitFor();
        await grants.scrollIntoViewIfNeeded();
        await screenshot(page, 'access-panel-grants');
      },
    );

    await check(
      'the access log shows the request and the approval, and downloads as CSV',
      async () => {
        await page.getByRole('tab', { name: 'Access log' }).click();
        const log = page.getByRole('table', { name: 'Access log' });
        await log.getByText('Requested access').waitFor();
        await log.getByText('Approved').waitFor();
        await log.scrollIntoViewIfNeeded();
        await screenshot(page, 'access-panel-log');
        const { name, bytes } = await download(page, () =>
          page.getByRole('button', { name: 'Download CSV' }).click(),
        );
        const csv = bytes.toString('utf8');
        expect(
          name === 'default-customers-access-log.csv',
          `the file is named ${name}`,
        );
        expect(
          csv.includes('requested') && csv.includes('approved'),
          `the CSV lacks the request or the approval:\n${csv.slice(0, 500)}`,
        );
        expect(
          csv.includes('user:default/student'),
          'the CSV does not name the student',
        );
      },
    );

    await check(
      'the student finds the request approved and downloads the granted version',
      async () => {
        await signOut(page, base);
        await signInThroughForm(page, base, 'student');
        await page.goto(`${base}/dataflex/access`);
        const table = page.getByRole('table', { name: 'My requests' });
        const row = table.getByRole('row').filter({ hasText: 'customers' });
        await row.getByText('Approved').waitFor();
        const link = row.getByRole('link', { name: /^Download version \d+$/ });
        await link.waitFor();
        await screenshot(page, 'access-my-requests-approved', {
          fullPage: true,
        });
        const { bytes } = await download(page, () => link.click());
        const expected = fs.readFileSync(SAMPLE);
        expect(
          bytes.equals(expected),
          `downloaded ${bytes.length} bytes that differ from the ${
            expected.length
          } of ${path.basename(SAMPLE)}`,
        );
      },
    );

    await check(
      'the dataset page now shows the grant, the preview and Download to the student',
      async () => {
        await page.goto(`${base}${DATASET}`);
        await page.getByRole('table', { name: 'Preview' }).waitFor();
        await page.getByRole('link', { name: 'Download' }).waitFor();
        await page.getByText(/You may read version \d+/).waitFor();
        // Later uploads are not covered by a one-version grant.
        await page
          .getByRole('button', { name: 'Request more access' })
          .waitFor();
        await screenshot(page, 'access-dataset-granted', { fullPage: true });
      },
    );

    await check('the inbox reads in the dark theme', async () => {
      await page.evaluate(() => localStorage.setItem('theme', 'dark'));
      await page.goto(`${base}/dataflex/access`);
      const table = page.getByRole('table', { name: 'My requests' });
      await table.getByRole('link', { name: /^Download version/ }).waitFor();
      const background = await page.evaluate(
        () => getComputedStyle(document.body).backgroundColor,
      );
      expect(
        background !== 'rgb(255, 255, 255)',
        `the page background is ${background}`,
      );
      await screenshot(page, 'access-my-requests-dark');
    });
  },
});

// Browser test of the browse page, in Debian's Chromium driven by
// playwright-core, against the portal as README's start command starts it:
// the student signs in and sees the rows, cards and a preview, searches
// (the URL keeps the search, private datasets stay hidden), opens a dataset
// (metadata, schema, versions) and a service whose demo runs in its "Try it"
// card; a dataset that just got a new version leads "Recently updated
// datasets", and a private and a public dataset granted to the student show
// up in "Shared with me". Screenshots of the browse page in the light and dark themes, at
// desktop and phone width, and of the dataset page go to test-results/e2e/;
// axe-core checks the browse page's contrast in both themes. Writes
// test-results/browse.json and ends with one line, `N passed, N failed`.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, poll, root, signInWithBasic } from '../scripts/lib/portal.mjs';
import {
  runBrowserTest,
  screenshot,
  signInThroughForm,
  waitForExampleSamples,
} from './lib/browser.mjs';

const axeSource = fs.readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** Rows every signed-in user has (app-config.yaml adds configured ones). */
const ROWS = [
  'Public demos',
  'Recently updated datasets',
  'Datasets',
  'Services',
  'Owned by my teams',
  'Shared with me',
];
const DEMO_SERVICE = 'Customer Cleaning Pipeline';
/** Private example datasets the student holds no grant on. */
const HIDDEN_FROM_STUDENT = ['Customer Addresses', 'Customer Consents'];
/** One of them, which the test then shares with the student. */
const SHARED = { name: 'customer-consents', title: 'Customer Consents' };
/** A public dataset, also granted to the student (for its content). */
const SHARED_PUBLIC = { name: 'customers', title: 'Customers' };
/** A public example dataset that the test gives a second version. */
const UPDATED = {
  name: 'customers-clean',
  title: 'Customers (clean)',
  sample: path.join(root, 'examples/data/customers-clean.csv'),
};
const PHONE = { width: 390, height: 844 };

/** The rows of the browse page: sections with a list of cards. */
function rowSections(page) {
  return page
    .locator('section[aria-label]')
    .filter({ has: page.locator('ul[aria-busy]') });
}

/**
 * Scrolls every row into view (rows load when they come near the viewport),
 * waits until each has loaded, and returns their names, cards and whether
 * they show an error.
 */
async function loadRows(page) {
  const sections = rowSections(page);
  await sections.first().waitFor();
  const rows = [];
  for (const section of await sections.all()) {
    await section.scrollIntoViewIfNeeded();
    await section.locator('ul[aria-busy="false"]').waitFor();
    rows.push({
      name: await section.getAttribute('aria-label'),
      section,
      cards: await section.locator('li h3').allInnerTexts(),
      errors: await section.getByRole('alert').allInnerTexts(),
    });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return rows;
}

async function openBrowsePage(page, baseUrl) {
  await page.goto(baseUrl);
  return loadRows(page);
}

/** Calls the DataFlex API as a data-platform member. */
async function asAnil(baseUrl, urlPath, init = {}) {
  const { backstageIdentity } = await signInWithBasic(baseUrl, 'anil');
  return fetch(`${baseUrl}/api/dataflex${urlPath}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${backstageIdentity.token}`,
      ...init.headers,
    },
  });
}

async function grantToStudent(baseUrl, datasetName) {
  const res = await asAnil(baseUrl, `/datasets/default/${datasetName}/grants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grantee: 'user:default/student' }),
  });
  expect(
    res.status === 201,
    `the grant on ${datasetName} answered ${res.status}`,
  );
}

/** Serious and critical axe-core violations inside `selector`. */
async function axeViolations(page, selector, rules) {
  // Evaluated rather than added as a script tag, which the portal's Content
  // Security Policy rightly refuses.
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(
    async ([context, ruleIds]) => {
      const result = await window.axe.run(context, {
        runOnly: { type: 'rule', values: ruleIds },
      });
      return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({
          id: v.id,
          nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
        }));
    },
    [selector, rules],
  );
  return violations;
}

/** The page's own horizontal overflow: what scrolls sideways besides rows. */
async function pageOverflow(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
}

/** Relative luminance (0 dark … 1 light) of the page's background. */
async function backgroundLuminance(page) {
  return page.evaluate(() => {
    const rgb = getComputedStyle(document.body)
      .backgroundColor.match(/\d+(\.\d+)?/g)
      .slice(0, 3)
      .map(Number)
      .map(c => c / 255)
      .map(c => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  });
}

await runBrowserTest({
  report: 'browse.json',
  user: 'student',
  timeoutMs: 10 * 60_000,
  test: async ({ portal, page, check }) => {
    const { baseUrl } = portal;
    // The browse page's own content (Backstage's Content is an article).
    const browseContent = 'article';

    await check('the examples’ sample files are loaded', () =>
      waitForExampleSamples(baseUrl, 'student'),
    );

    let rows = [];
    await check(
      'the student signs in and the browse page shows its rows',
      async () => {
        await signInThroughForm(page, baseUrl, 'student');
        await page.getByRole('region', { name: 'Featured' }).waitFor();
        rows = await loadRows(page);
        const names = rows.map(r => r.name);
        for (const name of ROWS) {
          expect(names.includes(name), `no "${name}" row in ${names}`);
        }
        const failed = rows.filter(r => r.errors.length > 0);
        expect(
          failed.length === 0,
          `rows with errors: ${failed
            .map(r => `${r.name}: ${r.errors.join(' ')}`)
            .join('; ')}`,
        );
        const row = name => rows.find(r => r.name === name);
        expect(
          row('Public demos').cards.includes(DEMO_SERVICE),
          `Public demos shows ${row('Public demos').cards}`,
        );
        expect(row('Datasets').cards.length > 0, 'the Datasets row is empty');
        expect(row('Services').cards.length > 0, 'the Services row is empty');
        // The student's group owns nothing: the row says so instead of
        // showing an error or nothing at all.
        await row('Owned by my teams')
          .section.getByText('Your teams own no services or datasets yet.')
          .waitFor();
        const shared = row('Shared with me');
        if (shared.cards.length === 0) {
          await shared.section.getByText(/nothing has been shared/i).waitFor();
        }
        await screenshot(page, 'browse-light', { fullPage: true });
      },
    );

    await check(
      'cards show the version count of datasets and the demo badge of services',
      async () => {
        const customers = page
          .getByRole('region', { name: 'Datasets', exact: true })
          .locator('li')
          .filter({
            has: page.getByRole('link', { name: 'Customers', exact: true }),
          });
        await customers.getByText('1 version', { exact: true }).waitFor();
        const demoCard = page
          .getByRole('region', { name: 'Public demos' })
          .locator('li')
          .filter({ has: page.getByRole('link', { name: DEMO_SERVICE }) });
        await demoCard.getByText('Demo', { exact: true }).waitFor();
      },
    );

    await check(
      'focusing a card opens its preview; Escape closes it',
      async () => {
        const link = page
          .getByRole('region', { name: 'Public demos' })
          .getByRole('link', { name: DEMO_SERVICE });
        await link.focus();
        const preview = page.getByRole('group', {
          name: `${DEMO_SERVICE} preview`,
        });
        await preview.waitFor();
        await preview.getByText('Purpose').waitFor();
        await preview
          .getByRole('button', { name: `Try the demo of ${DEMO_SERVICE}` })
          .waitFor();
        await page.keyboard.press('Escape');
        await preview.waitFor({ state: 'hidden' });
      },
    );

    await check(
      'searching puts the term in the URL and shows results, never private datasets the student may not see',
      async () => {
        await page
          .getByRole('searchbox', { name: 'Search services and datasets' })
          .fill('customer');
        await page.waitForURL(url => url.searchParams.get('q') === 'customer');
        const results = page.getByRole('region', { name: 'Search results' });
        await results
          .getByRole('status')
          .getByText(/^\d+ results?$/)
          .waitFor();
        await results.locator('ul[aria-busy="false"]').waitFor();
        const titles = await results.locator('li h3').allInnerTexts();
        for (const title of ['Customers', DEMO_SERVICE]) {
          expect(titles.includes(title), `"${title}" is not in ${titles}`);
        }
        for (const title of HIDDEN_FROM_STUDENT) {
          expect(!titles.includes(title), `the student sees "${title}"`);
        }
        const violations = await axeViolations(page, browseContent, [
          'color-contrast',
        ]);
        expect(violations.length === 0, JSON.stringify(violations));
        await page.getByRole('checkbox', { name: 'Has a demo' }).check();
        await page.waitForURL(url => url.searchParams.get('demo') === 'true');
        await results.locator('ul[aria-busy="false"]').waitFor();
        const withDemo = await results.locator('li h3').allInnerTexts();
        expect(
          withDemo.includes(DEMO_SERVICE) && !withDemo.includes('Customers'),
          `with "Has a demo": ${withDemo}`,
        );
        // The search is in the URL: a reload shows the same results.
        await page.reload();
        await results.locator('ul[aria-busy="false"]').waitFor();
        expect(
          (await page
            .getByRole('checkbox', { name: 'Has a demo' })
            .isChecked()) &&
            (await results.locator('li h3').allInnerTexts()).includes(
              DEMO_SERVICE,
            ),
          'a reload lost the search',
        );
      },
    );

    await check(
      'a dataset opened from the results shows its metadata, schema and versions',
      async () => {
        await page.getByRole('checkbox', { name: 'Has a demo' }).uncheck();
        const results = page.getByRole('region', { name: 'Search results' });
        await results
          .getByRole('link', { name: 'Customers', exact: true })
          .click();
        await page.waitForURL(/\/catalog\/default\/dataset\/customers$/);
        const card = page
          .locator('.MuiCard-root')
          .filter({ hasText: 'DataFlex dataset' });
        await card.getByText('public', { exact: true }).waitFor();
        await card.getByText('1, 62 rows').waitFor();
        const schema = card.getByRole('table', { name: 'Schema' });
        await schema.getByText('customer_id', { exact: true }).waitFor();
        const versions = card.getByRole('table', { name: 'Versions' });
        expect(
          (await versions.locator('tbody tr').count()) === 1,
          'the Versions table does not list exactly version 1',
        );
        await screenshot(page, 'dataset-page', { fullPage: true });
      },
    );

    await check(
      `the ${DEMO_SERVICE} demo runs in its Try it card`,
      async () => {
        await openBrowsePage(page, baseUrl);
        await page
          .getByRole('region', { name: 'Public demos' })
          .getByRole('link', { name: DEMO_SERVICE })
          .click();
        await page.waitForURL(
          /\/catalog\/default\/component\/customer-cleaning-pipeline$/,
        );
        await page.getByRole('button', { name: 'Run demo' }).click();
        const input = page.getByRole('table', { name: 'Sample input' });
        const output = page.getByRole('table', { name: 'Output' });
        await output.waitFor();
        const inputRows = await input.locator('tbody tr').count();
        const outputRows = await output.locator('tbody tr').count();
        // 20 sample rows (dataflex.io/demo-sample-rows); the pipeline drops
        // empty e-mails and duplicates among them.
        expect(inputRows === 20, `${inputRows} sample rows`);
        expect(
          outputRows > 0 && outputRows < inputRows,
          `${outputRows} output rows from ${inputRows}`,
        );
        await screenshot(page, 'service-demo', { fullPage: true });
      },
    );

    await check(
      'a dataset that just got a new version leads Recently updated datasets, without private ones',
      async () => {
        // The sample with one more row: a new version, not a duplicate.
        const lines = fs.readFileSync(UPDATED.sample, 'utf8').trimEnd();
        const content = `${lines}\n${lines.split('\n').pop()}\n`;
        const form = new FormData();
        form.append(
          'file',
          new Blob([content], { type: 'text/csv' }),
          `${UPDATED.name}.csv`,
        );
        form.append('changeNote', 'One more row (browser test)');
        const res = await asAnil(
          baseUrl,
          `/datasets/default/${UPDATED.name}/versions`,
          { method: 'POST', body: form },
        );
        expect(res.status === 201, `the upload answered ${res.status}`);
        const { version } = await res.json();
        // The catalog module refreshes the entity on the version event.
        let row;
        await poll(
          `${UPDATED.title} first in Recently updated datasets`,
          60_000,
          async () => {
            const rows = await openBrowsePage(page, baseUrl);
            row = rows.find(r => r.name === 'Recently updated datasets');
            return row?.cards[0] === UPDATED.title ? true : undefined;
          },
        );
        expect(
          row.cards.includes('Customers'),
          `Recently updated shows ${row.cards}`,
        );
        for (const title of HIDDEN_FROM_STUDENT) {
          expect(
            !row.cards.includes(title),
            `the student sees "${title}" in Recently updated`,
          );
        }
        const card = row.section
          .locator('li')
          .filter({ has: page.getByRole('link', { name: UPDATED.title }) });
        await card.getByText(`${version} versions`, { exact: true }).waitFor();
        await row.section.scrollIntoViewIfNeeded();
        await screenshot(page, 'browse-recently-updated');
      },
    );

    await check(
      'a private and a public dataset granted to the student show in Shared with me',
      async () => {
        // A data-platform member grants the student access directly.
        await grantToStudent(baseUrl, SHARED.name);
        await grantToStudent(baseUrl, SHARED_PUBLIC.name);
        // The row lists the student's grants; the private dataset shows once
        // the catalog lets the student read it (it reprocesses it on the
        // grant event), the public one at once.
        let shared;
        await poll(`${SHARED.title} in Shared with me`, 120_000, async () => {
          const rows = await openBrowsePage(page, baseUrl);
          shared = rows.find(r => r.name === 'Shared with me');
          return shared?.cards.includes(SHARED.title) ? true : undefined;
        });
        expect(
          shared.cards.includes(SHARED_PUBLIC.title),
          `Shared with me shows ${shared.cards}`,
        );
        expect(
          !shared.cards.includes('Customer Addresses'),
          'a private dataset without a grant is in Shared with me',
        );
      },
    );

    await check(
      'the browse page has no serious contrast problems in the light theme',
      async () => {
        await openBrowsePage(page, baseUrl);
        const violations = await axeViolations(page, browseContent, [
          'color-contrast',
        ]);
        expect(violations.length === 0, JSON.stringify(violations));
      },
    );

    await check(
      'the dark theme chosen in Settings applies to the browse page, with enough contrast',
      async () => {
        await page.goto(`${baseUrl}/settings`);
        await page.getByTitle('Select Dark').click();
        expect(
          (await page.evaluate(() => localStorage.getItem('theme'))) === 'dark',
          'the theme was not stored',
        );
        await openBrowsePage(page, baseUrl);
        const luminance = await backgroundLuminance(page);
        expect(luminance < 0.1, `background luminance ${luminance}`);
        const violations = await axeViolations(page, browseContent, [
          'color-contrast',
        ]);
        expect(violations.length === 0, JSON.stringify(violations));
        await screenshot(page, 'browse-dark', { fullPage: true });
      },
    );

    await check(
      'at phone width nothing but the rows scrolls sideways',
      async () => {
        await page.setViewportSize(PHONE);
        await openBrowsePage(page, baseUrl);
        expect(
          (await pageOverflow(page)) <= 0,
          `the browse page is ${await pageOverflow(page)} px too wide`,
        );
        // The first screen only: a full-page shot would paint the phone's
        // fixed bottom bar over the middle of the page.
        await screenshot(page, 'browse-dark-phone');
        await page.goto(`${baseUrl}/settings`);
        await page.getByTitle('Select Light').click();
        await openBrowsePage(page, baseUrl);
        await screenshot(page, 'browse-light-phone');
        await page.goto(`${baseUrl}/catalog/default/dataset/customers`);
        await page.getByRole('table', { name: 'Versions' }).waitFor();
        expect(
          (await pageOverflow(page)) <= 0,
          `the dataset page is ${await pageOverflow(page)} px too wide`,
        );
        await screenshot(page, 'dataset-page-phone');
      },
    );
  },
});

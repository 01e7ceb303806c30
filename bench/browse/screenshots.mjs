// Screenshots of the browse page of a running portal, light and dark, on a
// desktop and a phone-sized window, plus a card's preview and search
// results. Usage: node bench/browse/screenshots.mjs http://localhost:7007
// Writes test-results/browse-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_PASSWORD, resultsDir, root } from '../lib/portal.mjs';
import { launchBrowser, signInInBrowser } from './browser.mjs';

const baseUrl = process.argv[2] ?? 'http://localhost:7007';
const username = process.env.DATAFLEX_USER ?? 'anil';
const password = process.env.DATAFLEX_PASSWORD ?? DEMO_PASSWORD;

async function firstRowOfCards(page) {
  await page
    .getByRole('region', { name: 'Public demos' })
    .getByRole('listitem')
    .first()
    .getByRole('link')
    .first()
    .waitFor({ timeout: 60_000 });
}

// Rows load as they scroll into view; a full-page picture needs them all.
async function scrollThrough(page) {
  for (let i = 0; i < 20; i++) {
    const done = await page.evaluate(() => {
      window.scrollBy(0, window.innerHeight / 2);
      return (
        window.scrollY + window.innerHeight >= document.body.scrollHeight - 2
      );
    });
    await page.waitForTimeout(300);
    if (done) break;
  }
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => window.scrollTo(0, 0));
}

async function main() {
  fs.mkdirSync(resultsDir, { recursive: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await signInInBrowser(page, baseUrl, username, password);
    for (const theme of ['light', 'dark']) {
      // The app's theme switcher keeps the choice in local storage.
      await page.evaluate(t => localStorage.setItem('theme', t), theme);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(baseUrl);
      await firstRowOfCards(page);
      await scrollThrough(page);
      await page.screenshot({
        path: path.join(resultsDir, `browse-${theme}.png`),
        fullPage: true,
      });

      const card = page
        .getByRole('region', { name: 'Datasets' })
        .getByRole('listitem')
        .first()
        .getByRole('link')
        .first();
      await card.scrollIntoViewIfNeeded();
      await card.focus();
      await page.getByRole('group', { name: /preview$/ }).waitFor();
      await page.waitForTimeout(800);
      await page.screenshot({
        path: path.join(resultsDir, `browse-preview-${theme}.png`),
      });

      await page.goto(`${baseUrl}/?q=customer`);
      await page
        .getByRole('region', { name: 'Search results' })
        .getByRole('listitem')
        .first()
        .waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({
        path: path.join(resultsDir, `browse-search-${theme}.png`),
        fullPage: true,
      });

      await page.setViewportSize({ width: 360, height: 780 });
      await page.goto(baseUrl);
      await firstRowOfCards(page);
      await scrollThrough(page);
      await page.screenshot({
        path: path.join(resultsDir, `browse-phone-${theme}.png`),
        fullPage: true,
      });
    }
    console.log(
      `Screenshots in ${path.relative(root, resultsDir)}/browse-*.png`,
    );
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

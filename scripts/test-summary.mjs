// Prints the closing line of a test run from the reports the steps wrote.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;

const jest = JSON.parse(fs.readFileSync(path.join(dir, 'jest.json'), 'utf8'));
passed += jest.numPassedTests;
failed += jest.numFailedTests;
skipped += jest.numPendingTests + jest.numTodoTests;

for (const report of [
  'smoke.json',
  'browser.json',
  'browse.json',
  'access-requests.json',
  'reliability.json',
]) {
  const { passed: p, failed: f } = JSON.parse(
    fs.readFileSync(path.join(dir, report), 'utf8'),
  );
  passed += p;
  failed += f;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

describe('csvKernelWasm', () => {
  it('is the build of wasm/csvKernel.ts as it is now', async () => {
    // Rejects, naming the stale module, when the two differ.
    await expect(
      promisify(execFile)(process.execPath, ['wasm/build.mjs', '--check'], {
        cwd: path.resolve(__dirname, '../..'),
      }),
    ).resolves.toBeDefined();
  }, 60_000);
});

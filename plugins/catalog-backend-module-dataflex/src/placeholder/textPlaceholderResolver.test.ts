import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { textPlaceholderResolver } from './textPlaceholderResolver';

describe('textPlaceholderResolver', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-placeholder-'));
    await fs.mkdir(path.join(dir, 'api'));
    await fs.writeFile(
      path.join(dir, 'api', 'openapi.yaml'),
      'openapi: 3.0.3\n',
    );
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const params = (value: string, baseUrl: string) => ({
    key: 'text',
    value,
    baseUrl,
    read: jest.fn(async (url: string) => Buffer.from(`content of ${url}`)),
    resolveUrl: jest.fn((url: string, base: string) =>
      new URL(url, base).toString(),
    ),
    emit: jest.fn(),
  });

  it('reads a file next to a descriptor registered as a file location', async () => {
    const p = params('./api/openapi.yaml', path.join(dir, 'catalog-info.yaml'));
    await expect(textPlaceholderResolver(p)).resolves.toBe('openapi: 3.0.3\n');
    expect(p.read).not.toHaveBeenCalled();
  });

  it('refuses to leave the descriptor folder', async () => {
    const p = params('../../etc/passwd', path.join(dir, 'catalog-info.yaml'));
    await expect(textPlaceholderResolver(p)).rejects.toThrow(
      /only read files inside/,
    );
  });

  it('reports a missing file clearly', async () => {
    const p = params('./missing.yaml', path.join(dir, 'catalog-info.yaml'));
    await expect(textPlaceholderResolver(p)).rejects.toThrow(
      /could not read .\/missing.yaml/,
    );
  });

  it('reads through the URL reader for URL locations, as the built-in $text does', async () => {
    const p = params(
      './openapi.yaml',
      'https://git.example.com/repo/blob/main/catalog-info.yaml',
    );
    await expect(textPlaceholderResolver(p)).resolves.toBe(
      'content of https://git.example.com/repo/blob/main/openapi.yaml',
    );
    expect(p.emit).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'refresh',
        key: 'url:https://git.example.com/repo/blob/main/openapi.yaml',
      }),
    );
  });
});

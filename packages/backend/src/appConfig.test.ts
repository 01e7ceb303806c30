import { ConfigReader, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
// The slowest link an upload of the maximum size should survive.
const SLOW_LINK_BYTES_PER_SECOND = 1024 * 1024;

function readAppConfig(...files: string[]) {
  return ConfigReader.fromConfigs(
    files.map(file => ({
      context: file,
      data: parse(fs.readFileSync(path.join(ROOT, file), 'utf8')),
    })),
  );
}

describe.each(
  [['app-config.yaml'], ['app-config.yaml', 'app-config.production.yaml']].map(
    files => [files.join(' with '), files] as const,
  ),
)('%s', (_name, files) => {
  const config = readAppConfig(...files);

  it('gives an upload of the maximum size time to arrive over a slow link', () => {
    const maxUploadBytes = config.getNumber('dataflex.limits.maxUploadBytes');
    const requestTimeoutMs = durationToMilliseconds(
      readDurationFromConfig(config, { key: 'backend.server.requestTimeout' }),
    );
    expect(requestTimeoutMs).toBeGreaterThanOrEqual(
      (maxUploadBytes / SLOW_LINK_BYTES_PER_SECOND) * 1000,
    );
  });
});

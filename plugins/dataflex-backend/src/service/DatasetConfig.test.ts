import { ConfigReader } from '@backstage/config';
import { DatasetConfig } from './DatasetConfig';

describe('DatasetConfig', () => {
  it('has defaults for everything', () => {
    const config = DatasetConfig.fromConfig(new ConfigReader({}));
    expect(config).toEqual({
      maxUploadBytes: 2 * 1024 ** 3,
      allowedFormats: ['csv', 'jsonl', 'parquet'],
      userQuotaBytes: 20 * 1024 ** 3,
      previewMaxRows: 100,
      previewMaxBytes: 1024 * 1024,
      orphanBlobs: { frequency: { hours: 1 }, gracePeriod: { hours: 24 } },
    });
  });

  it('reads limits, caps previews and parses durations', () => {
    const config = DatasetConfig.fromConfig(
      new ConfigReader({
        dataflex: {
          limits: {
            maxUploadBytes: 1000,
            allowedFormats: ['csv'],
            userQuotaBytes: 5000,
          },
          datasets: {
            preview: { maxRows: 500, maxBytes: 4096 },
            orphanBlobs: { frequency: 'PT10M', gracePeriod: { days: 2 } },
          },
        },
      }),
    );
    expect(config).toMatchObject({
      maxUploadBytes: 1000,
      allowedFormats: ['csv'],
      userQuotaBytes: 5000,
      previewMaxRows: 100,
      previewMaxBytes: 4096,
      orphanBlobs: { frequency: { minutes: 10 }, gracePeriod: { days: 2 } },
    });
  });

  it.each([
    [{ limits: { maxUploadBytes: 0 } }, /dataflex.limits.maxUploadBytes/],
    [{ limits: { userQuotaBytes: 1.5 } }, /dataflex.limits.userQuotaBytes/],
    [{ limits: { allowedFormats: ['xlsx'] } }, /'xlsx' is not one of/],
    [
      { datasets: { orphanBlobs: { gracePeriod: { hours: 0 } } } },
      /orphanBlobs.gracePeriod/,
    ],
  ])('refuses %j naming the key', (dataflex, message) => {
    expect(() =>
      DatasetConfig.fromConfig(new ConfigReader({ dataflex })),
    ).toThrow(message);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { stoppableLifecycle } from '../__testUtils__/dataflexStandIn';
import { MissedLookups } from './MissedLookups';

describe('MissedLookups', () => {
  const { lifecycle, shutDown } = stoppableLifecycle();

  afterEach(() => shutDown());

  function create() {
    const retries: string[][] = [];
    const recovered: string[][] = [];
    const logger = mockServices.logger.mock();
    const missed = MissedLookups.create({
      lifecycle,
      logger,
      retryMs: 20,
      retry: refs => {
        retries.push(refs);
      },
      recoveredDatasets: 'shared datasets',
    });
    missed.onRecovered(refs => recovered.push(refs));
    return { missed, retries, recovered, logger };
  }

  const later = (ms: number) => new Promise(r => setTimeout(r, ms));

  it('asks again once after a failure, with every dataset missed by then', async () => {
    const { missed, retries } = create();
    missed.add(['dataset:default/a']);
    missed.failed();
    missed.failed();
    missed.add(['dataset:default/b']);
    await later(60);
    expect(retries).toEqual([['dataset:default/a', 'dataset:default/b']]);
  });

  it('does not ask when nothing was missed, nor after shutdown', async () => {
    const { missed, retries } = create();
    missed.failed();
    await later(60);
    missed.add(['dataset:default/a']);
    missed.failed();
    shutDown();
    await later(60);
    missed.failed();
    await later(60);
    expect(retries).toEqual([]);
  });

  it('hands back the answered datasets that matter, once, and keeps the unanswered ones', async () => {
    const { missed, retries, recovered, logger } = create();
    missed.add(['dataset:default/a', 'dataset:default/b', 'dataset:default/c']);

    missed.answered(
      ref => ref !== 'dataset:default/b',
      ['dataset:default/a', 'dataset:default/b'],
    );
    expect(recovered).toEqual([['dataset:default/a']]);
    expect(logger.info).toHaveBeenCalledWith(
      'DataFlex answers again; processing 1 shared datasets again',
    );

    missed.failed();
    await later(60);
    expect(retries).toEqual([['dataset:default/c']]);
    missed.answered(() => false);
    missed.answered(() => true);
    expect(recovered).toHaveLength(1);
  });
});

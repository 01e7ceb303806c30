import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { dataflexApiRef } from '../../api';
import { DataflexPage } from './DataflexPage';

describe('DataflexPage', () => {
  it('renders its own header and the portal status for legacy apps', async () => {
    const getHealth = jest.fn().mockResolvedValue({
      status: 'ok',
      checkedAt: '2026-01-15T10:00:00.000Z',
      components: {
        database: { status: 'ok', kind: 'pg', latencyMs: 3 },
        storage: { status: 'ok', kind: 's3', latencyMs: 12 },
      },
    });

    await renderInTestApp(
      <TestApiProvider apis={[[dataflexApiRef, { getHealth }]]}>
        <DataflexPage />
      </TestApiProvider>,
    );

    expect(
      screen.getByRole('heading', { level: 1, name: 'DataFlex' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Datasets and data services')).toBeInTheDocument();
    expect(await screen.findByText('Portal status')).toBeInTheDocument();
    expect(await screen.findByText('pg, 3 ms')).toBeInTheDocument();
    expect(getHealth).toHaveBeenCalledTimes(1);
  });
});

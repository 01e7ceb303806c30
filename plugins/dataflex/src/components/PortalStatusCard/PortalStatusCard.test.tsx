import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { HealthResponse } from '@dataflex/backstage-plugin-dataflex-common';
import { screen, within } from '@testing-library/react';
import { DataflexApi, dataflexApiRef } from '../../api';
import { PortalStatusCard } from './PortalStatusCard';

const checkedAt = '2026-01-15T10:00:00.000Z';

function renderCard(getHealth: DataflexApi['getHealth']) {
  return renderInTestApp(<PortalStatusCard />, {
    apis: [[dataflexApiRef, { getHealth }]],
  });
}

function rowOf(label: string) {
  return screen.getByText(label).closest('li') as HTMLElement;
}

describe('PortalStatusCard', () => {
  it('shows every component as OK with its kind and latency', async () => {
    const health: HealthResponse = {
      status: 'ok',
      checkedAt,
      components: {
        database: { status: 'ok', kind: 'pg', latencyMs: 3 },
        storage: { status: 'ok', kind: 's3', latencyMs: 12 },
      },
    };
    renderCard(async () => health);

    expect(await screen.findByText('Database')).toBeInTheDocument();
    expect(screen.getByText('Portal status')).toBeInTheDocument();

    const database = rowOf('Database');
    expect(within(database).getByLabelText('Status ok')).toBeInTheDocument();
    expect(within(database).getByText('pg, 3 ms')).toBeInTheDocument();

    const storage = rowOf('Storage');
    expect(within(storage).getByLabelText('Status ok')).toBeInTheDocument();
    expect(within(storage).getByText('s3, 12 ms')).toBeInTheDocument();

    expect(screen.queryByLabelText('Status error')).not.toBeInTheDocument();
    expect(
      screen.getByText(/Checked at/).querySelector('time'),
    ).toHaveAttribute('datetime', checkedAt);
  });

  it('shows a down database with its error message', async () => {
    renderCard(async () => ({
      status: 'error',
      checkedAt,
      components: {
        database: {
          status: 'error',
          kind: 'pg',
          latencyMs: 2000,
          message: 'connect ECONNREFUSED',
        },
        storage: { status: 'ok', kind: 's3', latencyMs: 12 },
      },
    }));

    expect(await screen.findByText('Database')).toBeInTheDocument();

    const database = rowOf('Database');
    expect(within(database).getByLabelText('Status error')).toBeInTheDocument();
    expect(
      within(database).getByText('pg, 2000 ms — connect ECONNREFUSED'),
    ).toBeInTheDocument();

    const storage = rowOf('Storage');
    expect(within(storage).getByLabelText('Status ok')).toBeInTheDocument();
  });

  it('shows the response error when the health check cannot be made', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'AuthenticationError',
            message: 'Missing credentials',
          },
          request: { method: 'GET', url: '/api/dataflex/health' },
          response: { statusCode: 401 },
        }),
        {
          status: 401,
          statusText: 'Unauthorized',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    renderCard(async () => {
      throw error;
    });

    expect(
      await screen.findByText(/Request failed with 401 Unauthorized/),
    ).toBeInTheDocument();
    expect(screen.getByText('401: AuthenticationError')).toBeInTheDocument();
    expect(screen.getByText('Missing credentials')).toBeInTheDocument();
    expect(screen.queryByText('Database')).not.toBeInTheDocument();
  });
});

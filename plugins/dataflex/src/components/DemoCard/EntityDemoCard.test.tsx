import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DatasetsApi, datasetsApiRef, DemoRun } from '../../api';
import { EntityDemoCard } from './EntityDemoCard';
import { hasDemo } from './hasDemo';

jest.setTimeout(30_000);

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'customer-cleaning',
    namespace: 'default',
    annotations: {
      'dataflex.io/demo-input': 'dataset:default/customers',
      'dataflex.io/demo-pipeline': '- drop: [city]',
    },
  },
  spec: { type: 'service', owner: 'group:default/data-platform' },
};

const run: DemoRun = {
  runId: 'r1',
  service: 'component:default/customer-cleaning',
  runner: 'pipeline',
  durationMs: 42,
  input: {
    dataset: 'dataset:default/customers',
    version: 2,
    columns: ['id', 'email', 'city'],
    rows: [
      { id: 1, email: '***', city: 'Oslo' },
      { id: 2, email: '***', city: 'Bergen' },
    ],
  },
  output: {
    columns: ['id', 'email'],
    rows: [
      { id: 1, email: '***' },
      { id: 2, email: '***' },
    ],
    truncated: true,
  },
};

function httpError(status: number, message: string): Error {
  return Object.assign(new Error(`Request failed with ${status}`), {
    statusCode: status,
    body: { error: { name: 'Error', message } },
  });
}

function mockApi(runDemo: DatasetsApi['runDemo']) {
  let runs = 0;
  return {
    runDemo: jest.fn(async (ref: { namespace: string; name: string }) => {
      runs += 1;
      return runDemo(ref);
    }),
    getDemoStats: jest.fn(async () => ({
      runs,
      succeeded: runs,
      failed: 0,
    })),
  } as unknown as jest.Mocked<DatasetsApi>;
}

function renderCard(api: DatasetsApi) {
  return renderInTestApp(
    <EntityProvider entity={service}>
      <EntityDemoCard />
    </EntityProvider>,
    {
      apis: [[datasetsApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('EntityDemoCard', () => {
  it('runs the demo and shows the masked input, the output and timings', async () => {
    let finish: (r: DemoRun) => void = () => {};
    const api = mockApi(
      () =>
        new Promise<DemoRun>(resolve => {
          finish = resolve;
        }),
    );
    const user = userEvent.setup({ delay: null });
    renderCard(api);

    expect(await screen.findByText(/Run 0 times/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Run demo/ }));
    expect(
      await screen.findByRole('progressbar', { name: 'Demo running' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Running/ })).toBeDisabled();

    finish(run);
    const input = await screen.findByRole('table', { name: 'Sample input' });
    expect(within(input).getByText('Bergen')).toBeInTheDocument();
    expect(within(input).getAllByText('***')).toHaveLength(2);
    const output = screen.getByRole('table', { name: 'Output' });
    expect(within(output).queryByText('city')).not.toBeInTheDocument();
    expect(within(output).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByText(/Ran in 42 ms/)).toBeInTheDocument();
    expect(screen.getByText('pipeline')).toBeInTheDocument();
    expect(
      screen.getByText('The demo returned more rows than are shown.'),
    ).toBeInTheDocument();
    expect(api.runDemo).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'customer-cleaning',
    });
    // The counts are fetched again and include the run.
    expect(await screen.findByText(/Run 1 time:/)).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it("shows the backend's message when the demo is not open to the caller", async () => {
    const api = mockApi(async () => {
      throw httpError(
        403,
        'The demo of component:default/customer-cleaning is not public',
      );
    });
    const user = userEvent.setup({ delay: null });
    renderCard(api);

    await user.click(await screen.findByRole('button', { name: /Run demo/ }));
    expect(
      await screen.findByText(
        'The demo of component:default/customer-cleaning is not public',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('explains a rate limit (429) and lets the user try again', async () => {
    let calls = 0;
    const api = mockApi(async () => {
      calls += 1;
      if (calls === 1) {
        throw httpError(429, 'At most 5 demo runs a minute');
      }
      return run;
    });
    const user = userEvent.setup({ delay: null });
    renderCard(api);

    await user.click(await screen.findByRole('button', { name: /Run demo/ }));
    expect(
      await screen.findByText(/ran this demo too often.*At most 5 demo runs/),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /Run demo/ }));
    await screen.findByRole('table', { name: 'Output' });
    await waitFor(() =>
      expect(screen.queryByText(/too often/)).not.toBeInTheDocument(),
    );
  });

  it('recognises services with a demo', () => {
    expect(hasDemo(service)).toBe(true);
    expect(
      hasDemo({
        ...service,
        metadata: {
          name: 'x',
          annotations: { 'dataflex.io/demo-endpoint': 'http://demo.test/run' },
        },
      }),
    ).toBe(true);
    expect(hasDemo({ ...service, metadata: { name: 'x' } })).toBe(false);
    expect(
      hasDemo({ ...service, spec: { type: 'website', owner: 'group:x' } }),
    ).toBe(false);
  });
});

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Entity } from '@backstage/catalog-model';
import { HttpDemoRunner, HttpDemoRunnerOptions } from './HttpDemoRunner';

type Handler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string,
) => void;

async function startServer(handler: Handler) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port, url: `http://127.0.0.1:${port}` };
}

const service = (endpoint: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'converter',
    annotations: {
      'dataflex.io/demo-input': 'dataset:default/rates',
      'dataflex.io/demo-endpoint': endpoint,
    },
  },
  spec: { type: 'service' },
});

const limits = { maxRows: 3, timeoutMs: 1_000, maxResponseBytes: 10_000 };

describe('HttpDemoRunner', () => {
  const servers: http.Server[] = [];
  afterAll(() => Promise.all(servers.map(s => new Promise(r => s.close(r)))));

  async function server(handler: Handler) {
    const started = await startServer(handler);
    servers.push(started.server);
    return started;
  }

  const runner = (options: Partial<HttpDemoRunnerOptions>) =>
    HttpDemoRunner.create({
      allowedHosts: [],
      allowPrivateAddressesFor: [],
      ...options,
    });

  const run = (r: HttpDemoRunner, endpoint: string, input = [{ amount: 1 }]) =>
    r.run({
      service: service(endpoint),
      input,
      limits,
      signal: new AbortController().signal,
    });

  it('posts the sample rows and returns the rows it gets back, cut to the cap', async () => {
    const echo = await server((_req, res, body) => {
      const { rows } = JSON.parse(body);
      const doubled = rows.flatMap((r: any) => [
        r,
        { ...r, amount: r.amount * 2 },
      ]);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ rows: doubled }));
    });
    const host = `127.0.0.1:${echo.port}`;
    const r = runner({
      allowedHosts: [host],
      allowPrivateAddressesFor: [host],
    });

    await expect(
      run(r, `${echo.url}/demo`, [{ amount: 1 }, { amount: 5 }]),
    ).resolves.toEqual({
      rows: [{ amount: 1 }, { amount: 2 }, { amount: 5 }],
      truncated: true,
    });
  });

  it('refuses hosts that are not allowed, before connecting', async () => {
    let called = false;
    const target = await server((_req, res) => {
      called = true;
      res.end('[]');
    });
    await expect(
      run(runner({ allowedHosts: ['demo.example.com'] }), `${target.url}/demo`),
    ).rejects.toThrow(
      `Demo endpoint host 127.0.0.1:${target.port} is not allowed (dataflex.demos.allowedHosts)`,
    );
    expect(called).toBe(false);
  });

  it('refuses loopback and cloud metadata addresses unless explicitly allowed', async () => {
    const target = await server((_req, res) => res.end('[]'));
    const r = runner({
      allowedHosts: [`127.0.0.1:${target.port}`, '169.254.169.254'],
    });
    await expect(run(r, `${target.url}/demo`)).rejects.toThrow(
      'resolves to a loopback address, which demos may not reach',
    );
    await expect(
      run(r, 'http://169.254.169.254/latest/meta-data'),
    ).rejects.toThrow('resolves to a link-local address');
  });

  it('checks what a DNS name resolves to, not just the name', async () => {
    const target = await server((_req, res) => res.end('[]'));
    await expect(
      run(
        runner({ allowedHosts: [`localhost:${target.port}`] }),
        `http://localhost:${target.port}/demo`,
      ),
    ).rejects.toThrow(/localhost resolves to a loopback address/);

    const rebinding = runner({
      allowedHosts: ['demo.example.test'],
      resolve: async () => ['10.1.2.3'],
    });
    await expect(
      run(rebinding, 'http://demo.example.test/demo'),
    ).rejects.toThrow('demo.example.test resolves to a private address');
  });

  it('re-checks every redirect', async () => {
    const inner = await server((_req, res) => res.end('[]'));
    const outer = await server((_req, res) => {
      res.statusCode = 307;
      res.setHeader('location', `${inner.url}/demo`);
      res.end();
    });
    const toMetadata = await server((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://169.254.169.254/latest/meta-data');
      res.end();
    });
    const outerHost = `127.0.0.1:${outer.port}`;
    const metaHost = `127.0.0.1:${toMetadata.port}`;
    const r = runner({
      allowedHosts: [outerHost, metaHost, `127.0.0.1:${inner.port}`],
      allowPrivateAddressesFor: [outerHost, metaHost],
    });

    await expect(run(r, `${outer.url}/demo`)).rejects.toThrow(
      /127\.0\.0\.1 resolves to a loopback address/,
    );
    await expect(run(r, `${toMetadata.url}/demo`)).rejects.toThrow(
      'Demo endpoint host 169.254.169.254 is not allowed',
    );
  });

  it('cuts off slow and oversized answers', async () => {
    const slow = await server((_req, res) => {
      setTimeout(() => res.end('[]'), 3_000);
    });
    const huge = await server((_req, res) => {
      res.write(`[${'{"a":"xxxxxxxxxx"},'.repeat(2_000)}`);
      res.end('{}]');
    });
    const hosts = [`127.0.0.1:${slow.port}`, `127.0.0.1:${huge.port}`];
    const r = runner({ allowedHosts: hosts, allowPrivateAddressesFor: hosts });

    await expect(run(r, `${slow.url}/demo`)).rejects.toThrow(
      'did not answer within 1000 ms',
    );
    await expect(run(r, `${huge.url}/demo`)).rejects.toThrow(
      'larger than 10000 bytes',
    );
  });

  it('turns service errors into one clear line, never a stack trace', async () => {
    const failing = await server((req, res) => {
      res.statusCode = 500;
      res.setHeader(
        'content-type',
        req.url === '/json' ? 'application/json' : 'text/plain',
      );
      res.end(
        req.url === '/json'
          ? JSON.stringify({
              error: {
                message:
                  'rate table missing\n    at Object.<anonymous> (/srv/app.js:1:1)',
              },
            })
          : 'TypeError: x is undefined\n    at handler (/srv/app.js:10:5)',
      );
    });
    const host = `127.0.0.1:${failing.port}`;
    const r = runner({
      allowedHosts: [host],
      allowPrivateAddressesFor: [host],
    });

    await expect(run(r, `${failing.url}/json`)).rejects.toThrow(
      /^The demo service answered 500: rate table missing$/,
    );
    const plain = await run(r, `${failing.url}/text`).catch(e => e);
    expect(plain.message).toBe('The demo service answered 500');
  });

  it('validates that the answer is JSON rows of plain values', async () => {
    const bad = await server((req, res) => {
      const answers: Record<string, string> = {
        '/html': '<html>oops</html>',
        '/object': '{"result": 1}',
        '/nested': '{"rows": [{"a": {"b": 1}}]}',
        '/scalar': '[1, 2]',
      };
      res.end(answers[req.url ?? ''] ?? '[]');
    });
    const host = `127.0.0.1:${bad.port}`;
    const r = runner({
      allowedHosts: [host],
      allowPrivateAddressesFor: [host],
    });

    await expect(run(r, `${bad.url}/html`)).rejects.toThrow(
      'did not answer with JSON',
    );
    await expect(run(r, `${bad.url}/object`)).rejects.toThrow(
      'must answer with { "rows": [...] }',
    );
    await expect(run(r, `${bad.url}/nested`)).rejects.toThrow(
      "column 'a' of the demo output is not a plain value",
    );
    await expect(run(r, `${bad.url}/scalar`)).rejects.toThrow(
      'Row 1 of the demo output is not a JSON object',
    );
  });

  it('refuses non-http URLs and URLs with credentials', async () => {
    const r = runner({ allowedHosts: ['*'] });
    await expect(run(r, 'file:///etc/passwd')).rejects.toThrow(
      'must be http or https',
    );
    await expect(run(r, 'http://user:pw@demo.example.com/')).rejects.toThrow(
      'may not carry credentials',
    );
  });
});

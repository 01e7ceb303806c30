// A tiny real HTTP demo service for the example org: DataFlex POSTs
// { rows: [...] } of masked sample data and shows the rows it answers.
// No dependencies; run it with ./start.sh (port 7010, or PORT=...).
import http from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

const routes = {
  // currency-converter: enrich reference rates with the inverse rate and a
  // worked example, as its real import job does.
  '/convert': rows =>
    rows.map(row => {
      const rate = Number(row.rate);
      return {
        date: row.date,
        pair: `${row.base}/${row.quote}`,
        rate,
        inverse:
          Number.isFinite(rate) && rate !== 0
            ? Number((1 / rate).toFixed(6))
            : null,
        [`100_${row.base ?? 'base'}_in_${row.quote ?? 'quote'}`]:
          Number.isFinite(rate) ? Number((100 * rate).toFixed(2)) : null,
      };
    }),

  // data-quality-checker: a quality score per column of the sample.
  '/quality': rows => {
    const columns = [...new Set(rows.flatMap(row => Object.keys(row)))];
    return columns.map(column => {
      const values = rows.map(row => row[column]);
      const missing = values.filter(
        v => v === null || v === undefined || String(v).trim() === '',
      ).length;
      const invalid =
        column.endsWith('_amount') || column.endsWith('_count')
          ? values.filter(v => v !== null && v !== '' && !(Number(v) >= 0))
              .length
          : 0;
      const score = rows.length ? 1 - (missing + invalid) / rows.length : 1;
      return {
        column,
        rows: rows.length,
        missing,
        invalid,
        quality_score: Number(score.toFixed(3)),
      };
    });
  },
};

export function createServer() {
  return http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/health') {
      return reply(200, { status: 'ok' });
    }
    const route = routes[req.url ?? ''];
    if (req.method !== 'POST' || !route) {
      return reply(404, {
        error: { message: `No demo at ${req.method} ${req.url}` },
      });
    }
    const chunks = [];
    let size = 0;
    req.on('data', chunk => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reply(413, { error: { message: 'Sample too large' } });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      let rows;
      try {
        rows = JSON.parse(Buffer.concat(chunks).toString('utf8')).rows;
      } catch {
        return reply(400, {
          error: { message: 'Expected a JSON body { "rows": [...] }' },
        });
      }
      if (!Array.isArray(rows)) {
        return reply(400, {
          error: { message: 'Expected a JSON body { "rows": [...] }' },
        });
      }
      return reply(200, { rows: route(rows) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 7010);
  createServer().listen(port, '127.0.0.1', () => {
    console.log(
      `DataFlex example demo service on http://127.0.0.1:${port} (/convert, /quality)`,
    );
  });
}

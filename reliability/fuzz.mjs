// API fuzzing with Schemathesis (from PyPI, in a virtualenv cached outside
// the checkout) against the DataFlex OpenAPI spec the running portal serves
// (/api/dataflex/openapi.json), once signed in as a viewer (student) and
// once as an owner (anil). Its coverage and fuzzing phases generate valid
// and invalid requests for every operation; the check fails on any failure
// Schemathesis reports (a 5xx answer, a status code the operation does not
// document, a body, content type or headers the spec does not describe), on
// any error it met, and on fewer generated cases than asked for.
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { callOk } from './lib/api.mjs';
import { expect, resultsDir, root } from './lib/common.mjs';
import { tokenOf } from './lib/portal.mjs';

const run = promisify(execFile);

const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = path.join(
  process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
  'dataflex',
  'schemathesis',
  SCHEMATHESIS_VERSION,
);
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'response_schema_conformance',
  'content_type_conformance',
  'response_headers_conformance',
];

export async function fuzzCheck({ portal, examples, minCases, seed }) {
  const schemathesis = await ensureSchemathesis();
  const users = ['student', 'anil'];
  const tokens = Object.fromEntries(
    await Promise.all(
      users.map(async u => [u, await tokenOf(portal.baseUrl, u)]),
    ),
  );
  const spec = await callOk(
    portal.baseUrl,
    'GET',
    '/api/dataflex/openapi.json',
    {
      headers: { Authorization: `Bearer ${tokens.student}` },
    },
  );
  const dir = path.join(resultsDir, 'schemathesis');
  fs.mkdirSync(dir, { recursive: true });
  const specFile = path.join(dir, 'openapi.json');
  fs.writeFileSync(specFile, JSON.stringify(spec));
  const usedSeed = seed ?? randomInt(1, 2 ** 31);

  const figures = {
    seed: usedSeed,
    examplesPerOperation: examples,
    cases: 0,
    byUser: {},
  };
  const problems = [];
  for (const user of users) {
    const report = path.join(dir, `${user}.json`);
    fs.rmSync(report, { force: true });
    const args = [
      'run',
      specFile,
      '--url',
      portal.baseUrl,
      '--header',
      `Authorization: Bearer ${tokens[user]}`,
      '--checks',
      CHECKS.join(','),
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      String(examples),
      '--seed',
      String(usedSeed),
      // One worker: Python 3.11's parser is not safe for Schemathesis'
      // threads ("AST constructor recursion depth mismatch").
      '--workers',
      '1',
      '--generation-database',
      'none',
      '--no-color',
      '--report',
      'json,junit',
      '--report-json-path',
      report,
      '--report-junit-path',
      path.join(dir, `${user}.xml`),
    ];
    const output = await run(schemathesis, args, {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      r => r.stdout,
      // It exits non-zero when it found failures; the report says which.
      e => e.stdout ?? String(e),
    );
    fs.writeFileSync(path.join(dir, `${user}.txt`), output);
    expect(
      fs.existsSync(report),
      `Schemathesis as ${user} wrote no report; see ${path.relative(
        root,
        dir,
      )}/${user}.txt`,
    );
    const result = JSON.parse(fs.readFileSync(report, 'utf8'));
    expect(
      result.errors.length === 0,
      `Schemathesis as ${user} had errors: ${JSON.stringify(
        result.errors,
      ).slice(0, 300)}`,
    );
    figures.cases += result.test_cases.generated;
    figures.byUser[user] = {
      cases: result.test_cases.generated,
      operations: result.operations.tested,
      seconds: Math.round(result.running_time),
      failures: Object.fromEntries(
        result.failures.map(f => [`${f.code} ${f.title}`, f.count]),
      ),
    };
    const details = failureDetails(output);
    for (const failure of result.failures) {
      for (const operation of failure.operations) {
        const detail = details.get(`${operation} ${failure.code}`);
        problems.push(
          `as ${user}: ${operation}: ${failure.code} ${failure.title}${
            detail ? ` (${detail})` : ''
          }`,
        );
      }
    }
  }
  if (problems.length > 0 || figures.cases < minCases) {
    const error = new Error(
      [
        ...problems,
        ...(figures.cases < minCases
          ? [
              `only ${figures.cases} cases generated, at least ${minCases} wanted`,
            ]
          : []),
      ].join('\n  ') +
        `\n  (requests, answers and \`st replay\` ids in ${path.relative(
          root,
          dir,
        )}/<user>.txt)`,
    );
    error.figures = figures;
    throw error;
  }
  return figures;
}

/**
 * What the console output says about each failure that the JSON report
 * leaves out, e.g. for ST103 the status received and those documented,
 * keyed by operation and failure code.
 */
function failureDetails(output) {
  const details = new Map();
  let operation;
  let codes = [];
  for (const line of output.split('\n')) {
    const section = line.match(/^_{3,} (.+?) _{3,}$/);
    if (section || line.startsWith('=====')) {
      operation = section?.[1];
      codes = [];
      continue;
    }
    if (!operation) {
      continue;
    }
    const check = line.match(/^- ([A-Z]+\d+) /);
    if (check) {
      codes.push(check[1]);
      continue;
    }
    const fact = line.match(/^ {4}(Received|Documented|Expected): (.+)$/);
    if (fact && codes.length > 0) {
      const key = `${operation} ${codes[codes.length - 1]}`;
      const facts = details.get(key) ?? new Set();
      facts.add(`${fact[1].toLowerCase()} ${fact[2]}`);
      details.set(key, facts);
    }
  }
  return new Map(
    [...details].map(([key, facts]) => [key, [...facts].join('; ')]),
  );
}

/** The schemathesis command, installed from PyPI on first use. */
async function ensureSchemathesis() {
  const bin = path.join(VENV, 'bin', 'schemathesis');
  const marker = path.join(VENV, '.complete');
  if (fs.existsSync(marker)) {
    return bin;
  }
  console.log(
    `Installing Schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${VENV} (first run only)`,
  );
  fs.rmSync(VENV, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(VENV), { recursive: true });
  try {
    await run('python3', ['-m', 'venv', VENV]);
    await run(
      path.join(VENV, 'bin', 'pip'),
      ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (error) {
    throw new Error(
      `Could not install Schemathesis (needs python3 with venv and pip, and PyPI): ${
        error.stderr || error.message
      }`,
    );
  }
  fs.writeFileSync(marker, '');
  return bin;
}

// Generates a large catalog for the browse benchmark: Dataset and service
// Component entities owned by the example organisation's teams and part of
// its systems, so ownership, domain rows and RBAC behave as they do for real
// entities. Each file holds up to 1,000 entities as YAML documents (written
// as JSON, which is YAML).
import fs from 'node:fs';
import path from 'node:path';

const TEAMS = [
  'data-platform',
  'payments-data',
  'marketing-analytics',
  'ml-platform',
  'logistics-data',
];
const SYSTEMS = [
  'customer-data',
  'ingestion-platform',
  'order-management',
  'payments-ledger',
  'fraud-detection',
  'campaign-insights',
  'web-analytics',
  'ml-features',
  'recommendations',
  'shipment-tracking',
  'warehouse-ops',
];
const SUBJECTS = [
  'orders',
  'customers',
  'payments',
  'shipments',
  'clicks',
  'invoices',
  'inventory',
  'fraud',
  'churn',
  'campaigns',
  'refunds',
  'carriers',
];
const QUALIFIERS = ['daily', 'hourly', 'raw', 'clean', 'monthly', 'sample'];
const ROLES = ['scorer', 'importer', 'exporter', 'api', 'pipeline', 'checker'];
const VISIBILITIES = ['private', 'public', 'open'];
const FORMATS = ['csv', 'jsonl', 'parquet', 'json'];
const PER_FILE = 1000;

const pad = n => String(n).padStart(5, '0');
const pick = (list, i) => list[i % list.length];
const title = words =>
  words.map(w => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

export function datasetName(i) {
  return `bench-dataset-${pad(i)}`;
}

function dataset(i) {
  const subject = pick(SUBJECTS, i);
  const qualifier = pick(QUALIFIERS, Math.floor(i / SUBJECTS.length));
  return {
    apiVersion: 'dataflex.io/v1alpha1',
    kind: 'Dataset',
    metadata: {
      name: datasetName(i),
      title: `${title([subject, qualifier])} ${pad(i)}`,
      description: `Generated ${qualifier} ${subject} dataset number ${i} for the browse benchmark.`,
      tags: ['bench', subject, pick(QUALIFIERS, i)],
    },
    spec: {
      owner: `group:default/${pick(TEAMS, i)}`,
      lifecycle: 'production',
      system: `system:default/${pick(SYSTEMS, i)}`,
      visibility: pick(VISIBILITIES, i),
      format: pick(FORMATS, i),
      schema: {
        columns: [
          { name: `${subject}_id`, type: 'string' },
          { name: 'customer_email', type: 'string', pii: true },
          { name: 'amount', type: 'number' },
          { name: 'created_at', type: 'timestamp' },
          { name: 'is_valid', type: 'boolean' },
        ],
      },
      masking: ['customer_email'],
    },
  };
}

function service(i, datasets) {
  const subject = pick(SUBJECTS, i);
  const role = pick(ROLES, Math.floor(i / SUBJECTS.length));
  const isPublic = i % 3 === 0;
  const annotations = {
    'dataflex.io/public': String(isPublic),
    'dataflex.io/purpose': `Generated ${subject} ${role} number ${i} for the browse benchmark.`,
  };
  if (i % 2 === 0) {
    annotations['dataflex.io/demo-input'] = `dataset:default/${datasetName(
      i % datasets,
    )}`;
    annotations['dataflex.io/demo-pipeline'] = '- limit: 5\n';
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `bench-service-${pad(i)}`,
      title: `${title([subject, role])} ${pad(i)}`,
      description: `Generated ${subject} ${role} for the browse benchmark.`,
      tags: ['bench', subject, role],
      annotations,
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${pick(TEAMS, i + 1)}`,
      system: `system:default/${pick(SYSTEMS, i + 3)}`,
    },
  };
}

function writeFiles(dir, prefix, count, make) {
  for (let start = 0; start < count; start += PER_FILE) {
    const docs = [];
    for (let i = start; i < Math.min(start + PER_FILE, count); i++) {
      docs.push(`---\n${JSON.stringify(make(i))}\n`);
    }
    fs.writeFileSync(
      path.join(dir, `${prefix}-${pad(start / PER_FILE)}.yaml`),
      docs.join(''),
    );
  }
}

/** Writes the entities into `dir` as `*.yaml` files. */
export function generateEntities(dir, { datasets, services }) {
  fs.mkdirSync(dir, { recursive: true });
  writeFiles(dir, 'datasets', datasets, dataset);
  writeFiles(dir, 'services', services, i => service(i, datasets));
}

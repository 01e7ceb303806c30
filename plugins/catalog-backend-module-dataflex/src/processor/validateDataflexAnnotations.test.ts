import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import { validateDataflexAnnotations } from './validateDataflexAnnotations';

const service = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'cleaner', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

const demo = {
  'dataflex.io/demo-input': 'dataset:default/customers',
  'dataflex.io/demo-pipeline': '- trim: [email]',
};

describe('validateDataflexAnnotations', () => {
  it('accepts a fully annotated service', () => {
    expect(
      validateDataflexAnnotations(
        service({
          'dataflex.io/public': 'true',
          'dataflex.io/purpose': 'Cleans customer records.',
          'dataflex.io/consumes-datasets': 'dataset:default/customers, orders',
          'dataflex.io/produces-datasets': 'dataset:default/customers-clean',
          'dataflex.io/demo-sample-rows': '20',
          'dataflex.io/demo-timeout-ms': '5000',
          ...demo,
        }),
      ),
    ).toEqual([]);
  });

  it('ignores entities without DataFlex annotations', () => {
    expect(
      validateDataflexAnnotations(
        service({ 'backstage.io/techdocs-ref': 'dir:.' }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      { 'dataflex.io/public': 'yes' },
      'annotation dataflex.io/public is \'yes\'; use "true" or "false"',
    ],
    [
      { 'dataflex.io/purpose': ' ' },
      'annotation dataflex.io/purpose must be 1 to 500 characters',
    ],
    [
      { 'dataflex.io/consumes-datasets': 'component:default/x' },
      "annotation dataflex.io/consumes-datasets has an invalid dataset ref: 'component:default/x' is a component, not a Dataset",
    ],
    [
      { 'dataflex.io/consumes-datasets': ' , ' },
      'annotation dataflex.io/consumes-datasets must name at least one dataset',
    ],
    [
      { ...demo, 'dataflex.io/demo-input': 'a,b' },
      'annotation dataflex.io/demo-input must name exactly one dataset',
    ],
    [
      {
        'dataflex.io/demo-input': 'customers',
        'dataflex.io/demo-endpoint': 'ftp://x',
      },
      "annotation dataflex.io/demo-endpoint is 'ftp://x'; use an absolute http:// or https:// URL",
    ],
    [
      { ...demo, 'dataflex.io/demo-pipeline': '- explode: [a]' },
      "annotation dataflex.io/demo-pipeline step 1 'explode' is not a step; allowed: select, rename, filter, trim, lowercase, dropNulls, dedupe, cast, mask, limit",
    ],
    [
      { ...demo, 'dataflex.io/demo-sample-rows': 'many' },
      "annotation dataflex.io/demo-sample-rows is 'many'; use a positive whole number",
    ],
    [
      { 'dataflex.io/colour': 'blue' },
      'annotation dataflex.io/colour is not a DataFlex annotation here; allowed: dataflex.io/public',
    ],
    [
      { 'dataflex.io/demo-pipeline': '- trim: [a]' },
      'a demo needs annotation dataflex.io/demo-input naming the dataset its sample rows come from',
    ],
    [
      { ...demo, 'dataflex.io/demo-endpoint': 'https://svc.example.com/demo' },
      'annotations dataflex.io/demo-endpoint and dataflex.io/demo-pipeline exclude each other; declare one demo',
    ],
    [
      { 'dataflex.io/demo-sample-rows': '5' },
      'annotation dataflex.io/demo-sample-rows needs a demo: add dataflex.io/demo-pipeline or dataflex.io/demo-endpoint',
    ],
  ])('reports %j', (annotations, message) => {
    const problems = validateDataflexAnnotations(service(annotations));
    expect(problems).toEqual([expect.stringContaining(message)]);
  });

  it('checks the fields a Dataset asks access requests for', () => {
    const dataset = (value: string): Entity => ({
      apiVersion: 'dataflex.io/v1alpha1',
      kind: 'Dataset',
      metadata: {
        name: 'customers',
        annotations: { 'dataflex.io/access-request-fields': value },
      },
      spec: { owner: 'team-a', lifecycle: 'production' },
    });
    expect(validateDataflexAnnotations(dataset('purpose, project'))).toEqual(
      [],
    );
    expect(validateDataflexAnnotations(dataset('purpose, Project!'))).toEqual([
      "annotation dataflex.io/access-request-fields has an invalid field name 'Project!': use lower-case letters and digits with single - or _ between them, at most 40 characters",
    ]);
    expect(
      validateDataflexAnnotations(
        service({ 'dataflex.io/access-request-fields': 'purpose' }),
      ),
    ).toEqual([
      expect.stringContaining(
        'annotation dataflex.io/access-request-fields is not a DataFlex annotation here',
      ),
    ]);
  });

  it('refuses DataFlex annotations on kinds that do not use them', () => {
    expect(
      validateDataflexAnnotations({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'site',
          annotations: { 'dataflex.io/public': 'true' },
        },
        spec: { type: 'website' },
      }),
    ).toEqual([
      'annotation dataflex.io/public is only allowed on services (kind Component, spec.type service) and Datasets',
    ]);
  });

  it('finds no problem in the examples/ organisation', () => {
    const dir = path.resolve(__dirname, '../../../../examples');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));
    let checked = 0;
    for (const file of files) {
      for (const doc of parseAllDocuments(
        fs.readFileSync(path.join(dir, file), 'utf8'),
      )) {
        const entity = doc.toJS() as Entity;
        expect({
          file,
          entity: entity.metadata.name,
          problems: validateDataflexAnnotations(entity),
        }).toEqual({
          file,
          entity: entity.metadata.name,
          problems: [],
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

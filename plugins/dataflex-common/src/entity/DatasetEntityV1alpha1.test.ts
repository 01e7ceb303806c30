import {
  DatasetEntityV1alpha1,
  datasetEntityV1alpha1Validator,
} from './DatasetEntityV1alpha1';

const customers: DatasetEntityV1alpha1 = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', tags: ['crm'] },
  spec: {
    owner: 'group:default/data-platform',
    lifecycle: 'production',
    visibility: 'public',
    format: 'csv',
    schema: {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'email', type: 'string', pii: true },
      ],
    },
    masking: ['email'],
  },
};

function withSpec(spec: Record<string, unknown>) {
  return { ...customers, spec: { ...customers.spec, ...spec } } as any;
}

describe('datasetEntityV1alpha1Validator', () => {
  it('accepts a complete dataset and a minimal one', async () => {
    await expect(datasetEntityV1alpha1Validator.check(customers)).resolves.toBe(
      true,
    );
    await expect(
      datasetEntityV1alpha1Validator.check({
        apiVersion: 'dataflex.io/v1alpha1',
        kind: 'Dataset',
        metadata: { name: 'bare' },
        spec: { owner: 'team-a', lifecycle: 'experimental' },
      }),
    ).resolves.toBe(true);
  });

  it('ignores other kinds', async () => {
    await expect(
      datasetEntityV1alpha1Validator.check({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: { type: 'service', owner: 'a', lifecycle: 'b' },
      }),
    ).resolves.toBe(false);
  });

  it.each([
    [{ owner: undefined }, /owner/],
    [{ visibility: 'secret' }, /visibility/],
    [{ format: 'docx' }, /format/],
    [{ schema: { columns: [{ name: 'id' }] } }, /type/],
    [{ schema: { columns: [{ name: 'id', type: 'varchar' }] } }, /type/],
    [{ masking: [''] }, /masking/],
    [{ unknownField: true }, /unknownField/],
  ])('rejects spec %j naming the field', async (spec, field) => {
    await expect(
      datasetEntityV1alpha1Validator.check(withSpec(spec)),
    ).rejects.toThrow(field);
  });
});

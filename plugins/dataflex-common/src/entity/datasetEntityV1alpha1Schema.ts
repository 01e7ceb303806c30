/**
 * JSON schema of the Dataset kind, in the form Backstage's
 * `entityKindSchemaValidator` expects (it resolves the `Entity` reference).
 */
export const datasetEntityV1alpha1Schema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  $id: 'DatasetV1alpha1',
  description:
    'A Dataset is a versioned collection of records that DataFlex stores, previews and shares.',
  allOf: [
    { $ref: 'Entity' },
    {
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: { enum: ['dataflex.io/v1alpha1'] },
        kind: { enum: ['Dataset'] },
        spec: {
          type: 'object',
          required: ['owner', 'lifecycle'],
          additionalProperties: false,
          properties: {
            owner: {
              type: 'string',
              minLength: 1,
              description:
                'Entity ref of the owning group, e.g. group:default/data-platform.',
            },
            lifecycle: {
              type: 'string',
              minLength: 1,
              description:
                'Lifecycle state, e.g. experimental, production, deprecated.',
            },
            system: {
              type: 'string',
              minLength: 1,
              description: 'Entity ref of the system the dataset belongs to.',
            },
            visibility: {
              type: 'string',
              enum: ['private', 'public', 'open'],
              description:
                'private (default): owners, admins and grant holders only; public: metadata for all, content by grant; open: content for all signed-in users.',
            },
            format: {
              type: 'string',
              enum: [
                'csv',
                'jsonl',
                'json',
                'parquet',
                'avro',
                'orc',
                'tsv',
                'xlsx',
                'other',
              ],
              description: 'Format of the uploaded content.',
            },
            schema: {
              type: 'object',
              required: ['columns'],
              additionalProperties: false,
              properties: {
                columns: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['name', 'type'],
                    additionalProperties: false,
                    properties: {
                      name: { type: 'string', minLength: 1 },
                      type: {
                        type: 'string',
                        enum: [
                          'string',
                          'integer',
                          'number',
                          'boolean',
                          'date',
                          'timestamp',
                          'json',
                          'binary',
                        ],
                      },
                      description: { type: 'string' },
                      pii: { type: 'boolean' },
                    },
                  },
                },
              },
            },
            masking: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              description: 'Columns replaced in any preview or demo output.',
            },
          },
        },
      },
    },
  ],
};

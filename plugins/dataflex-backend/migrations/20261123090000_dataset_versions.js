// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('datasets', table => {
    table
      .string('source', 16)
      .notNullable()
      .defaultTo('api')
      .comment(
        'api: created through POST /datasets; catalog: imported from a Dataset entity on first use',
      );
  });

  await knex.schema.createTable('dataset_versions', table => {
    table.comment(
      'Immutable versions of a dataset; a row exists only once its content is completely stored',
    );
    table
      .uuid('dataset_id')
      .notNullable()
      .references('id')
      .inTable('datasets')
      .onDelete('CASCADE')
      .comment('The dataset this version belongs to');
    table
      .integer('version')
      .notNullable()
      .comment('1, 2, 3… per dataset, without gaps');
    table
      .string('sha256', 64)
      .notNullable()
      .comment('Hex SHA-256 of the content; its address in the blob store');
    table.bigInteger('size').notNullable().comment('Content size in bytes');
    table
      .string('media_type', 255)
      .notNullable()
      .comment(
        'Media type served on download, derived from the detected format',
      );
    table
      .string('format', 16)
      .notNullable()
      .comment('Format detected from the content: csv, jsonl or parquet');
    table
      .string('filename', 255)
      .notNullable()
      .comment('File name given by the uploader, validated');
    table
      .bigInteger('row_count')
      .nullable()
      .comment('Data rows (CSV without its header); null when unknown');
    table
      .text('columns')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of inferred columns: name, type, nullable');
    table
      .text('schema_diff')
      .nullable()
      .comment(
        'JSON: columns added, removed and retyped since the previous version; null for version 1',
      );
    table
      .text('change_note')
      .nullable()
      .comment('What changed, in the uploader’s words');
    table
      .string('uploaded_by', 255)
      .notNullable()
      .comment('Entity ref of the uploading user');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the version was committed');
    table.primary(['dataset_id', 'version'], 'dataset_versions_pkey');
    table.index(['sha256'], 'dataset_versions_sha256_idx');
    table.index(['uploaded_by'], 'dataset_versions_uploaded_by_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dataset_versions');
  await knex.schema.alterTable('datasets', table => {
    table.dropColumn('source');
  });
};

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('datasets', table => {
    table.comment(
      'Datasets known to DataFlex, whether uploaded or registered in the catalog',
    );
    table.uuid('id').primary().comment('Surrogate key, stable across renames');
    table
      .string('namespace', 255)
      .notNullable()
      .comment('Catalog namespace of the Dataset entity');
    table
      .string('name', 255)
      .notNullable()
      .comment('Catalog name of the Dataset entity');
    table.string('title', 255).nullable().comment('Human-readable title');
    table
      .text('description')
      .nullable()
      .comment('What the data is and where it comes from');
    table
      .string('owner', 255)
      .notNullable()
      .comment('Entity ref of the owning group');
    table
      .string('visibility', 16)
      .notNullable()
      .defaultTo('private')
      .comment('private | public | open');
    table
      .text('tags')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of tags');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Entity ref of the creating user');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('Creation time');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('Last metadata change');
    table.unique(['namespace', 'name'], { indexName: 'datasets_ref_uniq' });
    table.index(['owner'], 'datasets_owner_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('datasets');
};

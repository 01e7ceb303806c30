// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('demo_runs', table => {
    table.comment('One row per demo run: who ran which service, how it went');
    table.uuid('id').primary().comment('Run id, returned to the caller');
    table
      .string('service_ref', 255)
      .notNullable()
      .comment('Entity ref of the service whose demo ran');
    table
      .string('user_ref', 255)
      .notNullable()
      .comment('Entity ref of the user who ran it');
    table
      .string('runner', 32)
      .notNullable()
      .comment('pipeline | http | a runner added by a module');
    table
      .string('input_dataset_ref', 255)
      .nullable()
      .comment('Entity ref of the dataset the sample came from');
    table
      .integer('input_version')
      .nullable()
      .comment('Version the sample came from');
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment('When the run started');
    table.integer('duration_ms').notNullable().comment('Wall time of the run');
    table
      .integer('rows_in')
      .notNullable()
      .comment('Sample rows sent to the demo');
    table
      .integer('rows_out')
      .notNullable()
      .comment('Rows returned to the user');
    table.string('outcome', 16).notNullable().comment('succeeded | failed');
    table
      .text('error')
      .nullable()
      .comment('The message shown to the user when it failed');
    table.index(['service_ref', 'started_at'], 'demo_runs_service_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('demo_runs');
};

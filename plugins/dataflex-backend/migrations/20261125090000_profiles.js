// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('profiles', table => {
    table.comment(
      'What users say about themselves, and which of it other users may see; one row per catalog User who saved a profile',
    );
    table
      .string('user_entity_ref', 255)
      .primary()
      .comment('Entity ref of the catalog User, lower case');
    table
      .string('display_name', 100)
      .notNullable()
      .comment('Name shown to others, 1–100 characters');
    table.text('bio').nullable().comment('Free text, at most 2000 characters');
    table
      .string('organization', 200)
      .nullable()
      .comment('Organization the user works for, at most 200 characters');
    table
      .text('skills')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of at most 30 skills of at most 50 characters');
    table
      .text('field_visibility')
      .notNullable()
      .comment(
        'JSON object: public or private for each of displayName, bio, organization, skills',
      );
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When the user last saved the profile');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('profiles');
};

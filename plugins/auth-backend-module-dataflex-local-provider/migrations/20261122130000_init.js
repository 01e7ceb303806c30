// @ts-check

/**
 * Local accounts, their cookie sessions and the sign-in failure bookkeeping
 * that drives lockout. The tables live in the auth plugin's database next to
 * the auth backend's own, hence the prefix.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dataflex_local_accounts', table => {
    table.comment(
      'Username and password accounts of the local sign-in provider',
    );
    table
      .string('username', 63)
      .primary()
      .comment('Lower-case user name; signs in as user:default/<username>');
    table
      .text('password_hash')
      .notNullable()
      .comment('PHC string: algorithm, its parameters, salt and hash');
    table
      .string('origin', 16)
      .notNullable()
      .comment('How the account came to be: demo-seed | registration');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('Creation time');
  });

  await knex.schema.createTable('dataflex_local_sessions', table => {
    table.comment('Browser sessions started by signing in through the form');
    table
      .string('id', 64)
      .primary()
      .comment(
        'SHA-256 (hex) of the session cookie; the cookie itself is never stored',
      );
    table
      .string('username', 63)
      .notNullable()
      .comment('Account the session belongs to');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('Sign-in time');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('The session ends at this time even if never signed out');
    table.index(['username'], 'dataflex_local_sessions_username_idx');
    table.index(['expires_at'], 'dataflex_local_sessions_expires_at_idx');
  });

  await knex.schema.createTable('dataflex_local_sign_in_failures', table => {
    table.comment(
      'Failed sign-in attempts, counted per account and per client address',
    );
    table.bigIncrements('id').comment('Surrogate key');
    table.string('scope', 16).notNullable().comment('account | ip');
    table
      .string('subject', 255)
      .notNullable()
      .comment('The user name tried, or the client address (IPv6: its /64)');
    table
      .timestamp('failed_at', { useTz: true })
      .notNullable()
      .comment('Time of the failed attempt');
    table.index(
      ['scope', 'subject', 'failed_at'],
      'dataflex_local_sign_in_failures_subject_idx',
    );
  });

  await knex.schema.createTable('dataflex_local_lockouts', table => {
    table.comment('Accounts and client addresses that may not sign in for now');
    table.string('scope', 16).notNullable().comment('account | ip');
    table
      .string('subject', 255)
      .notNullable()
      .comment('The user name, or the client address (IPv6: its /64)');
    table
      .timestamp('locked_until', { useTz: true })
      .notNullable()
      .comment('Sign-in attempts are refused until this time');
    table.primary(['scope', 'subject'], 'dataflex_local_lockouts_pk');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dataflex_local_lockouts');
  await knex.schema.dropTable('dataflex_local_sign_in_failures');
  await knex.schema.dropTable('dataflex_local_sessions');
  await knex.schema.dropTable('dataflex_local_accounts');
};

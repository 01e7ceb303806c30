// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_requests', table => {
    table.comment(
      'Requests for access to a dataset’s content, and how they were decided',
    );
    table.uuid('id').primary().comment('Request id');
    table
      .uuid('dataset_id')
      .notNullable()
      .references('id')
      .inTable('datasets')
      .onDelete('CASCADE')
      .comment('The dataset asked for');
    table
      .string('requester', 255)
      .notNullable()
      .comment('Entity ref of the requesting user, lower case');
    table
      .text('justification')
      .notNullable()
      .comment('Why the requester needs the data, in their words');
    table
      .text('fields')
      .notNullable()
      .defaultTo('{}')
      .comment(
        'JSON object: answers to the dataset’s dataflex.io/access-request-fields',
      );
    table
      .string('scope', 32)
      .notNullable()
      .comment('version | version-and-later');
    table
      .integer('version')
      .notNullable()
      .comment('The version asked for, or the first of the range');
    table
      .timestamp('ends_at', { useTz: true })
      .nullable()
      .comment('When the requested access should end; null for no end');
    table
      .string('status', 16)
      .notNullable()
      .defaultTo('pending')
      .comment('pending | approved | rejected | withdrawn');
    table
      .string('decided_by', 255)
      .nullable()
      .comment('Entity ref of the user who approved, rejected or withdrew it');
    table
      .timestamp('decided_at', { useTz: true })
      .nullable()
      .comment('When it stopped being pending');
    table
      .text('decision_reason')
      .nullable()
      .comment('The decider’s reason; always set for rejections');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When it was asked');
    table.index(['requester', 'created_at'], 'access_requests_requester_idx');
    table.index(['dataset_id', 'status'], 'access_requests_dataset_idx');
  });
  // One pending request per user and dataset, however many arrive at once.
  await knex.raw(
    `CREATE UNIQUE INDEX access_requests_one_pending_uniq ON access_requests (dataset_id, requester) WHERE status = 'pending'`,
  );

  await knex.schema.createTable('access_grants', table => {
    table.comment(
      'Who may read which versions of a dataset’s content besides its owners, until when',
    );
    table.uuid('id').primary().comment('Grant id');
    table
      .uuid('dataset_id')
      .notNullable()
      .references('id')
      .inTable('datasets')
      .onDelete('CASCADE')
      .comment('The dataset');
    table
      .string('grantee', 255)
      .notNullable()
      .comment('Entity ref of the user or group holding it, lower case');
    table
      .integer('from_version')
      .notNullable()
      .comment('First version covered');
    table
      .integer('to_version')
      .nullable()
      .comment('Last version covered; null for every later version too');
    table
      .timestamp('ends_at', { useTz: true })
      .nullable()
      .comment('When it stops working; null for no end');
    table
      .uuid('request_id')
      .nullable()
      .references('id')
      .inTable('access_requests')
      .onDelete('SET NULL')
      .comment('The request whose approval created it; null for direct grants');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Entity ref of the user who approved or granted');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When it was granted');
    table
      .string('revoked_by', 255)
      .nullable()
      .comment('Entity ref of the user who revoked it');
    table
      .timestamp('revoked_at', { useTz: true })
      .nullable()
      .comment('When it was revoked; it stops working from then on');
    table.text('revoke_reason').nullable().comment('Why it was revoked');
    table
      .timestamp('expired_at', { useTz: true })
      .nullable()
      .comment(
        'When the expiry task recorded that ends_at passed (it stops working at ends_at regardless)',
      );
    table.index(['dataset_id'], 'access_grants_dataset_idx');
    table.index(['grantee'], 'access_grants_grantee_idx');
    table.index(['request_id'], 'access_grants_request_idx');
  });

  await knex.schema.createTable('access_events', table => {
    table.comment(
      'Per-dataset access log for owners: requests, decisions, grants, revocations, expiries and downloads',
    );
    table.bigIncrements('id').primary().comment('Order of the entries');
    table
      .uuid('dataset_id')
      .notNullable()
      .references('id')
      .inTable('datasets')
      .onDelete('CASCADE')
      .comment('The dataset');
    table
      .string('action', 16)
      .notNullable()
      .comment(
        'requested | approved | rejected | withdrawn | granted | revoked | expired | downloaded',
      );
    table
      .string('actor', 255)
      .notNullable()
      .comment('Entity ref of the user (or plugin) who acted');
    table
      .string('subject', 255)
      .nullable()
      .comment('The requester or grantee the entry is about');
    table
      .integer('version')
      .nullable()
      .comment('Version downloaded or asked for');
    table.integer('from_version').nullable().comment('First version granted');
    table
      .integer('to_version')
      .nullable()
      .comment('Last version granted; null for and later');
    table.uuid('request_id').nullable().comment('The access request');
    table.uuid('grant_id').nullable().comment('The grant');
    table
      .text('reason')
      .nullable()
      .comment('The decider’s reason (never the requester’s justification)');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When it happened');
    table.index(['dataset_id', 'id'], 'access_events_dataset_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_events');
  await knex.schema.dropTable('access_grants');
  await knex.schema.dropTable('access_requests');
};

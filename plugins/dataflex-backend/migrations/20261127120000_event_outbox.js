// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('event_outbox', table => {
    table.comment(
      'Transactional outbox: each event is written in the transaction of the change it reports, then relayed to the events service and sinks',
    );
    table
      .bigIncrements('sequence')
      .comment('Commit order; events of one subject are relayed in this order');
    table
      .uuid('event_id')
      .notNullable()
      .unique()
      .comment('The payload eventId, the same in every delivery');
    table
      .string('topic', 255)
      .notNullable()
      .comment('Events topic, e.g. dataflex.dataset.created');
    table
      .string('subject', 255)
      .notNullable()
      .comment('Entity ref the event is about; the ordering and Kafka key');
    table.text('payload').notNullable().comment('The event payload as JSON');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When the change was written');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Failed delivery attempts so far');
    table
      .timestamp('next_attempt_at', { useTz: true })
      .nullable()
      .comment('Not retried before this time after a failure (backoff)');
    table
      .string('claimed_by', 64)
      .nullable()
      .comment('The relay delivering the event right now');
    table
      .timestamp('claimed_until', { useTz: true })
      .nullable()
      .comment('When that claim lapses if the relay died');
    table
      .text('delivered_to')
      .nullable()
      .comment('JSON array of the sinks that already accepted the event');
    table
      .text('last_error')
      .nullable()
      .comment('Why the last delivery attempt failed');
    table
      .timestamp('sent_at', { useTz: true })
      .nullable()
      .comment('When every sink had accepted it; pruned after the retention');
    table.index(['sent_at'], 'event_outbox_sent_at_idx');
    // What the relay scans: the pending rows, in order.
    table.index(['sequence'], 'event_outbox_pending_idx', {
      predicate: knex.whereNull('sent_at'),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('event_outbox');
};

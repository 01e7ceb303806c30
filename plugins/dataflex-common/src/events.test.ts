import { DATAFLEX_EVENT_TOPICS, isDataflexEventTopic } from './events';

describe('DATAFLEX_EVENT_TOPICS', () => {
  it('uses unique topic names under the dataflex prefix', () => {
    const topics = Object.values(DATAFLEX_EVENT_TOPICS);
    expect(new Set(topics).size).toBe(topics.length);
    for (const topic of topics) {
      expect(topic.startsWith('dataflex.')).toBe(true);
    }
  });

  it('recognises its own topics only', () => {
    expect(isDataflexEventTopic('dataflex.dataset.created')).toBe(true);
    expect(isDataflexEventTopic('catalog.entity.updated')).toBe(false);
  });
});

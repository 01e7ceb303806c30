import { dataflexPlugin } from './plugin';

describe('dataflex', () => {
  it('should export plugin', () => {
    expect(dataflexPlugin).toBeDefined();
  });
});

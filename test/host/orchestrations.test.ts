import type { TestHost } from '../support/localHost';
import { startFixtureHost, webhooks } from './support';

describe('local durable host: orchestration scenarios', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  it('runs an activity chain to completion', async () => {
    const id = await api.start('chain', ['a', 'b', 'c']);
    await host.idle();
    const status = await api.status(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'A B C', input: ['a', 'b', 'c'], name: 'chain' });
  });
});

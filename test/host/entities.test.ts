import type { TestHost } from '../support/localHost';
import { startFixtureHost, webhooks } from './support';

describe('local durable host: entities', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  it('loses no update when 100 orchestrations call one counter concurrently', async () => {
    const ids = await Promise.all(Array.from({ length: 100 }, () => api.start('addToCounter', 'shared')));
    await host.idle();
    const statuses = await Promise.all(ids.map((id) => api.status(id)));
    expect(statuses.every((s) => s.runtimeStatus === 'Completed')).toBe(true);
    // each call saw a distinct value: operations ran one at a time
    const seen = statuses.map((s) => s.output as number).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const state = await api.call('GET', 'entities/counter/shared');
    expect(state).toMatchObject({ status: 200, body: 100 });
  });

  it('applies signals from orchestrations and clients in order before later calls', async () => {
    await api.call('POST', 'entities/counter/s1?op=add', 2);
    await host.idle();
    const id = await api.start('signalCounter', 's1');
    await host.idle();
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: 7 });
  });

  it('answers 404 for an entity that does not exist', async () => {
    expect((await api.call('GET', 'entities/counter/nobody')).status).toBe(404);
  });
});

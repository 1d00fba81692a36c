import type { TestHost } from '../support/localHost';
import { startFixtureHost, webhooks } from './support';

describe('local durable host: timer triggers and the in-process queue', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  it('fires NCRONTAB timer triggers as the virtual clock advances', async () => {
    const start = host.now().getTime();
    const hour = 3_600_000;
    const firstFire = Math.floor(start / hour) * hour + hour;
    await host.advance(firstFire - start + 2 * hour);
    expect(await api.call('GET', 'entities/counter/ticks')).toMatchObject({ status: 200, body: 3 });
  });

  it('delivers queue messages to the queue trigger', async () => {
    await host.enqueue('fixture-events', { key: 'q1', add: 2 });
    await host.enqueue('fixture-events', { key: 'q1', add: 3 });
    await host.idle();
    expect(await api.call('GET', 'entities/counter/q1')).toMatchObject({ status: 200, body: 5 });
    expect(host.deadLetters('fixture-events')).toEqual([]);
  });

  it('redelivers a failing message and dead-letters it after the maximum deliveries', async () => {
    await host.enqueue('fixture-events', { key: 'q2', add: 1, poison: true });
    await host.idle();
    const dead = host.deadLetters('fixture-events');
    expect(dead).toHaveLength(1);
    expect(dead[0]!.message).toEqual({ key: 'q2', add: 1, poison: true });
    expect(dead[0]!.reason).toMatch(/^MaxDeliveryCountExceeded: cannot handle a poison message/);
  });
});

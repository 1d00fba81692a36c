import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { tableClient } from '../../src/adapters/storage/tables';
import { startStack, type Stack } from './stack';

const HOUR = 3600_000;
const TABLES = ['maxconfSessions', 'maxconfSessionKeys', 'maxconfTimeline'];

/**
 * Issue 13: nothing grows forever. 20 sessions run (half of them reach the Genesys queue, so they
 * have a conversation and its index entity) and end; with a retention of 0 days, one retention
 * run brings the durable store (instances, history, entities) and the session index back to the
 * counts they had before the sessions.
 */
describe('retention deletes what ended sessions left behind', () => {
  let stack: Stack;
  afterAll(async () => stack?.stop());

  function storeCounts() {
    const db = new DatabaseSync(join(stack.host.dataDir, 'durable-host.sqlite'), { readOnly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      return { instances: count('instances'), history: count('history'), entities: count('entities') };
    } finally {
      db.close();
    }
  }

  async function indexRows(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      let n = 0;
      for await (const _row of tableClient({ connectionString: stack.host.env.AzureWebJobsStorage! }, table).listEntities()) n += 1;
      counts[table] = n;
    }
    return counts;
  }

  it('after 20 sessions and a retention run, instance, history, entity and index counts are back at baseline', async () => {
    stack = await startStack({ env: { RETENTION_SCHEDULE: '0 0 * * * *', SESSION_RETENTION_DAYS: '0', ROOM_POOL_SIZE: '2' } });
    await stack.settle();
    // a first run clears what starting left (the pool's finished refill rounds); then the baseline
    await stack.host.advance(HOUR);
    await stack.settle();
    const baseline = { store: storeCounts(), index: await indexRows() };

    const rooms: { name: string; guest_pin: string }[] = [];
    for (let i = 0; i < 20; i += 1) rooms.push(await stack.createRoom(`vcretain${String(i).padStart(2, '0')}`));
    for (const room of rooms.slice(0, 10)) await stack.join(room.name, room.guest_pin);
    await stack.until('ten sessions queued', async () => {
      const queued = await Promise.all(rooms.slice(0, 10).map(async (r) => (await stack.session(r.name)).phase));
      return queued.every((p) => p === 'queued');
    }, 60_000);
    for (const room of rooms) expect((await stack.api('DELETE', `/room/${room.name}`, { token: stack.idim })).status).toBe(204);
    await stack.until('every session ended', async () => {
      const phases = await Promise.all(rooms.map(async (r) => (await stack.session(r.name)).phase));
      return phases.every((p) => p === 'ended');
    }, 60_000);

    const grown = { store: storeCounts(), index: await indexRows() };
    // 20 sessions, and a claim orchestration for each create the warm pool (2 rooms) could not serve at once
    expect(grown.store.instances).toBeGreaterThanOrEqual(baseline.store.instances + 20);
    expect(grown.store.entities).toBeGreaterThanOrEqual(baseline.store.entities + 10); // sink state of each room a citizen joined
    expect(grown.index.maxconfSessions).toBe(baseline.index.maxconfSessions! + 20);
    expect(grown.index.maxconfTimeline).toBeGreaterThan(baseline.index.maxconfTimeline!);

    await stack.host.advance(HOUR);
    await stack.settle();
    const after = { store: storeCounts(), index: await indexRows() };
    if (process.env.RETENTION_REPORT) console.log(JSON.stringify({ baseline, grown, after }));
    expect(after).toEqual(baseline);
    // support no longer finds them
    expect((await stack.api('GET', `/sessions/${rooms[0]!.name}`, { token: stack.support })).status).toBe(404);
    expect((await stack.api('GET', '/sessions?videoCallId=vcretain00', { token: stack.support })).body.sessions).toEqual([]);
  }, 180_000);
});

import { QueueClient } from '@azure/storage-queue';
import { startAzurite, type Azurite } from '../../local/azurite';
import { createWarmRoomQueue, type QueueWarmRoomQueue } from '../../src/adapters/storage/warmRoomQueue';
import { queueName } from '../../src/adapters/storage/tables';
import type { ClaimedRoom, WarmRoom } from '../../src/contracts/sessionIndex';

let azurite: Azurite;
let suite = 0;

beforeAll(async () => {
  azurite = await startAzurite();
}, 120_000);

afterAll(async () => {
  await azurite?.stop();
});

/** each test its own queue, so none sees another's rooms */
async function freshQueue(visibilityTimeoutSeconds?: number): Promise<{ queue: QueueWarmRoomQueue; raw: QueueClient }> {
  const prefix = `wr${++suite}`;
  const options = { account: { connectionString: azurite.connectionString }, prefix, ...(visibilityTimeoutSeconds ? { visibilityTimeoutSeconds } : {}) };
  return { queue: await createWarmRoomQueue(options), raw: new QueueClient(azurite.connectionString, queueName(options, 'warm-rooms')) };
}

function rooms(count: number): WarmRoom[] {
  return Array.from({ length: count }, (_, i) => ({ name: `maxconf-warm-${i}`, id: 1000 + i, createdAt: new Date(Date.UTC(2026, 11, 1, 12, 0, i)).toISOString() }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an offered room is claimed once, with its facts, and the pool is empty afterwards', async () => {
  const { queue } = await freshQueue();
  const [room] = rooms(1);
  await queue.offer(room!);
  expect(await queue.size()).toBe(1);
  const claimed = await queue.claim();
  expect(claimed?.room).toEqual(room);
  expect(claimed?.receipt).toEqual(expect.any(String));
  expect(await queue.claim()).toBeUndefined();
  expect(await queue.size()).toBe(0);
});

test('a read made alongside the claim comes back with the room; one that fails fails the claim after the take', async () => {
  const { queue } = await freshQueue();
  const [first, second] = rooms(2);
  await queue.offer(first!);
  await queue.offer(second!);
  const seen: string[] = [];
  const claimed = await queue.claim(async (room) => {
    seen.push(room.name);
    return `status of ${room.name}`;
  });
  expect(claimed).toMatchObject({ room: first, alongside: `status of ${first!.name}` });
  expect(seen).toEqual([first!.name]);
  await expect(queue.claim(async () => Promise.reject(new Error('status read failed')))).rejects.toThrow('status read failed');
  // the failed read did not undo the take: the room is gone from the pool
  expect(await queue.claim()).toBeUndefined();
});

test('claim on an empty pool answers undefined in one round trip', async () => {
  const { queue } = await freshQueue();
  await queue.claim(); // warm the connection
  const started = performance.now();
  expect(await queue.claim()).toBeUndefined();
  // one receive against loopback; the bound leaves room for a loaded test machine
  expect(performance.now() - started).toBeLessThan(1_000);
});

async function claimAll(queue: QueueWarmRoomQueue, claimers: number, onceEach: boolean): Promise<ClaimedRoom[][]> {
  return Promise.all(
    Array.from({ length: claimers }, async () => {
      const mine: ClaimedRoom[] = [];
      for (;;) {
        const claimed = await queue.claim();
        if (!claimed) return mine;
        mine.push(claimed);
        if (onceEach) return mine;
      }
    }),
  );
}

test('20 concurrent claimers over 5 rooms: 5 claimers get one distinct room each, 15 get none', async () => {
  const { queue } = await freshQueue();
  for (const room of rooms(5)) await queue.offer(room);
  const results = await claimAll(queue, 20, true);
  const names = results.flat().map((c) => c.room.name);
  expect(names.sort()).toEqual(rooms(5).map((r) => r.name).sort());
  expect(results.filter((r) => r.length === 0)).toHaveLength(15);
});

test('8 concurrent claimers draining 40 rooms: every room handed out exactly once', async () => {
  const { queue } = await freshQueue();
  await Promise.all(rooms(40).map((room) => queue.offer(room)));
  const results = await claimAll(queue, 8, false);
  const names = results.flat().map((c) => c.room.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.sort()).toEqual(rooms(40).map((r) => r.name).sort());
  expect(await queue.size()).toBe(0);
});

test('a claimer that dies between receive and delete used nothing: the room comes back after the visibility timeout', async () => {
  const { queue, raw } = await freshQueue(1);
  const [room] = rooms(1);
  await queue.offer(room!);
  // the crashed claimer: received, never deleted
  const received = await raw.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 1 });
  expect(received.receivedMessageItems).toHaveLength(1);
  expect(await queue.claim()).toBeUndefined();
  await sleep(1_500);
  expect((await queue.claim())?.room).toEqual(room);
});

test('a claimer whose receipt went stale cannot take the room another claimer holds', async () => {
  const { queue, raw } = await freshQueue(1);
  await queue.offer(rooms(1)[0]!);
  const stalled = (await raw.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 1 })).receivedMessageItems[0]!;
  await sleep(1_500);
  const winner = await queue.claim();
  expect(winner?.room.name).toBe('maxconf-warm-0');
  // the stalled claimer's delete (its confirmation) fails, so it never uses the room
  await expect(raw.deleteMessage(stalled.messageId, stalled.popReceipt)).rejects.toMatchObject({ statusCode: 404 });
});

test('no PIN rides in the queue: unknown fields of an offered room are dropped', async () => {
  const { queue, raw } = await freshQueue();
  await queue.offer({ ...rooms(1)[0]!, pin: '1234', guest_pin: '5678' } as WarmRoom);
  const peeked = await raw.peekMessages();
  expect(peeked.peekedMessageItems[0]!.messageText).not.toMatch(/pin|1234|5678/);
  expect(Object.keys((await queue.claim())!.room).sort()).toEqual(['createdAt', 'id', 'name']);
});

test('a message that is not a room is dropped, and the next room is handed out', async () => {
  const { queue, raw } = await freshQueue();
  await raw.sendMessage('not json');
  await raw.sendMessage(JSON.stringify({ name: 'x' }));
  await queue.offer(rooms(1)[0]!);
  expect((await queue.claim())?.room.name).toBe('maxconf-warm-0');
  expect(await queue.size()).toBe(0);
});

test('clear empties the pool', async () => {
  const { queue } = await freshQueue();
  for (const room of rooms(3)) await queue.offer(room);
  await queue.clear();
  expect(await queue.size()).toBe(0);
  expect(await queue.claim()).toBeUndefined();
});

test('an offered room never expires from the pool', async () => {
  const { queue, raw } = await freshQueue();
  await queue.offer(rooms(1)[0]!);
  const message = (await raw.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 1 })).receivedMessageItems[0]!;
  // the service reports "never" as 9999-12-31
  expect(message.expiresOn.getUTCFullYear()).toBe(9999);
});

test('with a data directory, rooms and records outlive a restart of Azurite', async () => {
  const { mkdtempSync, rmSync, statSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { createTableSessionIndex } = await import('../../src/adapters/storage/sessionIndex');
  const dataDir = mkdtempSync(`${tmpdir()}/maxconf-azurite-`);
  try {
    const first = await startAzurite({ dataDir });
    const account = { connectionString: first.connectionString };
    await (await createWarmRoomQueue({ account, prefix: 'persist' })).offer(rooms(1)[0]!);
    const createdAt = new Date().toISOString();
    await (await createTableSessionIndex({ account, prefix: 'persist' })).upsert({ sessionId: 'maxconf-p', videoCallId: 'v', phase: 'queued', createdAt, updatedAt: createdAt, dialAttempts: 1, revision: 1 });
    await first.stop();

    const second = await startAzurite({ dataDir });
    try {
      const again = { connectionString: second.connectionString };
      expect((await (await createWarmRoomQueue({ account: again, prefix: 'persist' })).claim())?.room.name).toBe('maxconf-warm-0');
      expect((await (await createTableSessionIndex({ account: again, prefix: 'persist' })).get('maxconf-p'))?.phase).toBe('queued');
    } finally {
      await second.stop();
    }
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);

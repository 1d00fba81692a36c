import { TableClient } from '@azure/data-tables';
import { startAzurite, type Azurite } from '../../local/azurite';
import { createTableSessionIndex, InvalidContinuationToken, type TableSessionIndex } from '../../src/adapters/storage/sessionIndex';
import type { SessionRecord, TimelineLine } from '../../src/contracts/sessionIndex';

let azurite: Azurite;
let suite = 0;

beforeAll(async () => {
  azurite = await startAzurite();
}, 120_000);

afterAll(async () => {
  await azurite?.stop();
});

/** each test its own tables, so listings see only their own sessions */
async function freshIndex(): Promise<TableSessionIndex> {
  return createTableSessionIndex({ account: { connectionString: azurite.connectionString }, prefix: `si${++suite}` });
}

async function allRows(index: TableSessionIndex): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const table of index.tableNames()) {
    const client = TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
    for await (const row of client.listEntities()) rows.push({ table, ...row });
  }
  return rows;
}

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function record(sessionId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId,
    videoCallId: `vc-${sessionId}`,
    phase: 'waiting_for_citizen',
    createdAt: at(0),
    updatedAt: at(0),
    dialAttempts: 0,
    revision: 1,
    ...overrides,
  };
}

describe('writes and point reads', () => {
  test('a written record reads back as written, by room name', async () => {
    const index = await freshIndex();
    const written = record('maxconf-a1', {
      conversationId: 'c0ffee00-0000-4000-8000-000000000001',
      phase: 'ended',
      outcome: 'completed',
      endedAt: at(30),
      agentUserId: 'agent-1',
      answeredAt: at(5),
      queue: { position: 2, estimatedWaitSeconds: 40, at: at(3) },
      dialAttempts: 2,
      teardown: { ok: true, detail: 'room deleted' },
      revision: 9,
    });
    expect(await index.upsert(written)).toEqual({ applied: true });
    expect(await index.get('maxconf-a1')).toEqual(written);
    expect(await index.get('maxconf-nope')).toBeUndefined();
  });

  test('an older or replayed revision never moves a record backwards', async () => {
    const index = await freshIndex();
    await index.upsert(record('maxconf-r1', { phase: 'in_call', revision: 5 }));
    expect(await index.upsert(record('maxconf-r1', { phase: 'dialing', revision: 3 }))).toEqual({ applied: false });
    expect(await index.upsert(record('maxconf-r1', { phase: 'queued', revision: 5 }))).toEqual({ applied: false });
    expect((await index.get('maxconf-r1'))?.phase).toBe('in_call');
    const listed = await index.list({ from: new Date(at(-60)), to: new Date(at(60)), pageSize: 10 });
    expect(listed.items.map((r) => [r.phase, r.revision])).toEqual([['in_call', 5]]);
  });

  test('concurrent writers in any order leave the highest revision, in the session row and the list row', async () => {
    const index = await freshIndex();
    const revisions = [7, 2, 12, 1, 9, 4, 11, 3, 10, 5, 8, 6];
    await Promise.all(revisions.map((revision) => index.upsert(record('maxconf-c1', { dialAttempts: revision, revision }))));
    expect((await index.get('maxconf-c1'))?.revision).toBe(12);
    const listed = await index.list({ from: new Date(at(-60)), to: new Date(at(60)), pageSize: 10 });
    expect(listed.items.map((r) => r.dialAttempts)).toEqual([12]);
  });

  test('no PIN or UUI is stored, whatever the writer passes', async () => {
    const index = await freshIndex();
    await index.upsert({ ...record('maxconf-p1'), pin: '4321', guestPin: '8765', uui: '0123abcd' } as SessionRecord);
    const stored = JSON.stringify(await allRows(index));
    expect(stored).not.toMatch(/4321|8765|0123abcd|pin|uui/i);
  });

  test('a writer passing a bad record is refused before anything is written', async () => {
    const index = await freshIndex();
    await expect(index.upsert(record('maxconf-b1', { revision: 1.5 }))).rejects.toThrow(RangeError);
    await expect(index.upsert(record('maxconf-b1', { createdAt: 'yesterday' }))).rejects.toThrow(RangeError);
    expect(await allRows(index)).toEqual([]);
  });
});

describe('lookups', () => {
  test('by Genesys conversation id, including a conversation an earlier dial attempt used', async () => {
    const index = await freshIndex();
    await index.upsert(record('maxconf-l1', { conversationId: 'conv-first', phase: 'dialing', revision: 1 }));
    await index.upsert(record('maxconf-l1', { conversationId: 'conv-second', phase: 'queued', revision: 2 }));
    await index.upsert(record('maxconf-l2', { conversationId: 'conv-other', revision: 1 }));
    expect((await index.findByConversationId('conv-first'))?.sessionId).toBe('maxconf-l1');
    expect((await index.findByConversationId('conv-second'))?.phase).toBe('queued');
    expect((await index.findByConversationId('conv-other'))?.sessionId).toBe('maxconf-l2');
    expect(await index.findByConversationId('conv-unknown')).toBeUndefined();
  });

  test('by video call id, newest session first', async () => {
    const index = await freshIndex();
    await index.upsert(record('maxconf-v1', { videoCallId: 'vc/shared?#1', createdAt: at(0) }));
    await index.upsert(record('maxconf-v2', { videoCallId: 'vc/shared?#1', createdAt: at(10) }));
    await index.upsert(record('maxconf-v3', { videoCallId: 'vc-alone' }));
    expect((await index.findByVideoCallId('vc/shared?#1')).map((r) => r.sessionId)).toEqual(['maxconf-v2', 'maxconf-v1']);
    expect(await index.findByVideoCallId("vc' or PartitionKey ne '")).toEqual([]);
  });

  test('live queue figures merge in when newer, and a later session write keeps them', async () => {
    const index = await freshIndex();
    await index.upsert(record('maxconf-q1', { phase: 'queued', revision: 3 }));
    expect(await index.recordQueueStatus('maxconf-q1', { position: 4, estimatedWaitSeconds: 120, at: at(2) })).toBe(true);
    expect(await index.recordQueueStatus('maxconf-q1', { position: 9, at: at(1) })).toBe(false);
    expect(await index.recordQueueStatus('maxconf-unknown', { position: 1, at: at(2) })).toBe(false);
    await index.upsert(record('maxconf-q1', { phase: 'queued', dialAttempts: 1, revision: 4, queue: { position: 7, at: at(1) } }));
    expect((await index.get('maxconf-q1'))?.queue).toEqual({ position: 4, estimatedWaitSeconds: 120, at: at(2) });
    const listed = await index.list({ from: new Date(at(-60)), to: new Date(at(60)), pageSize: 10 });
    expect(listed.items[0]?.queue).toEqual({ position: 4, estimatedWaitSeconds: 120, at: at(2) });
  });
});

describe('listing', () => {
  /** 25 sessions over three days, every 3 hours, alternating phases */
  async function seeded(): Promise<{ index: TableSessionIndex; created: string[] }> {
    const index = await freshIndex();
    const created: string[] = [];
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => {
        const createdAt = at(i * 180);
        created.push(createdAt);
        return index.upsert(record(`maxconf-s${String(i).padStart(2, '0')}`, { createdAt, phase: i % 2 ? 'ended' : 'queued', ...(i % 2 ? { outcome: i % 3 ? 'completed' : 'abandoned' } : {}) }));
      }),
    );
    return { index, created };
  }

  test('pages newest first across day partitions, every session exactly once', async () => {
    const { index } = await seeded();
    const seen: string[] = [];
    let continuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await index.list({ from: new Date(at(-1)), to: new Date(at(25 * 180)), pageSize: 4, ...(continuationToken ? { continuationToken } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((r) => r.createdAt));
      continuationToken = page.continuationToken;
      pages++;
    } while (continuationToken);
    expect(pages).toBe(7); // 6 full pages and one of 1, with no empty page at the end
    const expected = Array.from({ length: 25 }, (_, i) => at(i * 180)).reverse();
    expect(seen).toEqual(expected);
  });

  test('the window is from inclusive, to exclusive', async () => {
    const { index } = await seeded();
    const page = await index.list({ from: new Date(at(180)), to: new Date(at(900)), pageSize: 50 });
    expect(page.items.map((r) => r.createdAt)).toEqual([at(720), at(540), at(360), at(180)]);
    expect(page.continuationToken).toBeUndefined();
  });

  test('filters by phase and by outcome, still newest first and paged', async () => {
    const { index } = await seeded();
    const window = { from: new Date(at(-1)), to: new Date(at(25 * 180)) };
    const queued = await index.list({ ...window, phase: 'queued', pageSize: 50 });
    expect(queued.items).toHaveLength(13);
    expect(queued.items.every((r) => r.phase === 'queued')).toBe(true);
    const first = await index.list({ ...window, outcome: 'abandoned', pageSize: 2 });
    const rest = await index.list({ ...window, outcome: 'abandoned', pageSize: 2, continuationToken: first.continuationToken! });
    // odd i divisible by 3: 3, 9, 15, 21
    expect([...first.items, ...rest.items].map((r) => r.sessionId)).toEqual(['maxconf-s21', 'maxconf-s15', 'maxconf-s09', 'maxconf-s03']);
    expect(rest.continuationToken).toBeUndefined();
  });

  test('a token this list did not issue is refused as such', async () => {
    const index = await freshIndex();
    const window = { from: new Date(at(0)), to: new Date(at(60)), pageSize: 5 };
    await expect(index.list({ ...window, continuationToken: 'garbage' })).rejects.toThrow(InvalidContinuationToken);
    const forged = Buffer.from(JSON.stringify({ d: "d2026' or 1 eq 1", r: 'x' })).toString('base64url');
    await expect(index.list({ ...window, continuationToken: forged })).rejects.toThrow(InvalidContinuationToken);
    await expect(index.list({ ...window, pageSize: 0 })).rejects.toThrow(RangeError);
    await expect(index.list({ ...window, from: new Date(at(60)), to: new Date(at(0)) })).rejects.toThrow(RangeError);
  });
});

describe('timeline', () => {
  function lines(from: number, count: number): TimelineLine[] {
    return Array.from({ length: count }, (_, i) => ({ seq: from + i, at: at((from + i) / 2), kind: 'event' as const, what: `queue_status ${from + i}` }));
  }

  test('appends in order, pages with a continuation, and a replayed append adds nothing', async () => {
    const index = await freshIndex();
    await index.appendTimeline('maxconf-t1', lines(0, 150)); // more than one transaction
    await index.appendTimeline('maxconf-t1', lines(140, 20)); // overlaps: a replayed writer
    const read: TimelineLine[] = [];
    let continuation: string | undefined;
    do {
      const page = await index.readTimeline('maxconf-t1', { limit: 64, ...(continuation ? { continuation } : {}) });
      read.push(...page.items);
      continuation = page.continuationToken;
    } while (continuation);
    expect(read.map((l) => l.seq)).toEqual(Array.from({ length: 160 }, (_, i) => i));
    expect(read[3]).toEqual(lines(3, 1)[0]);
    expect((await index.readTimeline('maxconf-none', { limit: 10 })).items).toEqual([]);
  });
});

describe('retention', () => {
  test('lists ended sessions oldest first, up to the limit, and not those ended after the cut or still running', async () => {
    const index = await freshIndex();
    await index.upsert(record('maxconf-e3', { phase: 'ended', outcome: 'completed', endedAt: at(300) }));
    await index.upsert(record('maxconf-e1', { phase: 'ended', outcome: 'abandoned', endedAt: at(100) }));
    await index.upsert(record('maxconf-e2', { phase: 'ended', outcome: 'closed', endedAt: at(200) }));
    await index.upsert(record('maxconf-e4', { phase: 'ended', outcome: 'completed', endedAt: at(400) }));
    await index.upsert(record('maxconf-live', { phase: 'in_call' }));
    expect(await index.listEndedBefore(new Date(at(350)), 10)).toEqual([
      { sessionId: 'maxconf-e1', endedAt: at(100) },
      { sessionId: 'maxconf-e2', endedAt: at(200) },
      { sessionId: 'maxconf-e3', endedAt: at(300) },
    ]);
    expect((await index.listEndedBefore(new Date(at(350)), 2)).map((e) => e.sessionId)).toEqual(['maxconf-e1', 'maxconf-e2']);
  });

  test('delete removes the record, every lookup row and the timeline, leaving the tables empty', async () => {
    const index = await freshIndex();
    await index.upsert(record('maxconf-d1', { conversationId: 'conv-d1a', phase: 'dialing', revision: 1 }));
    await index.upsert(record('maxconf-d1', { conversationId: 'conv-d1b', phase: 'ended', outcome: 'completed', endedAt: at(40), revision: 2 }));
    await index.appendTimeline('maxconf-d1', Array.from({ length: 230 }, (_, seq) => ({ seq, at: at(seq / 10), kind: 'event' as const, what: 'x' })));
    expect((await allRows(index)).length).toBeGreaterThan(230);

    expect(await index.delete('maxconf-d1')).toBe(true);
    expect(await index.get('maxconf-d1')).toBeUndefined();
    expect(await index.findByConversationId('conv-d1a')).toBeUndefined();
    expect(await index.findByVideoCallId('vc-maxconf-d1')).toEqual([]);
    expect(await index.listEndedBefore(new Date(at(1000)), 10)).toEqual([]);
    expect((await index.list({ from: new Date(at(-60)), to: new Date(at(60)), pageSize: 10 })).items).toEqual([]);
    expect(await allRows(index)).toEqual([]);
    expect(await index.delete('maxconf-d1')).toBe(false);
  });
});

test('a 2-hour session stores a record far under the 1 MiB entity limit, and its timeline does not grow it', async () => {
  const index = await freshIndex();
  const uuid = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const base = record('maxconf-long-session-0001', {
    videoCallId: uuid(1),
    conversationId: uuid(2),
    agentUserId: uuid(3),
    phase: 'queued',
    dialAttempts: 3,
    queue: { position: 12, estimatedWaitSeconds: 2400, at: at(44) },
    revision: 100,
  });
  await index.upsert(base);
  // a 30-second queue refresh for 45 minutes and 75 minutes of call: one timeline line each
  await index.appendTimeline(base.sessionId, Array.from({ length: 240 }, (_, seq) => ({ seq, at: at(seq / 2), kind: 'result' as const, what: 'queue_status', detail: `position ${seq}` })));
  await index.upsert({
    ...base,
    phase: 'ended',
    outcome: 'max_duration',
    answeredAt: at(45),
    endedAt: at(120),
    updatedAt: at(120),
    teardown: { ok: false, detail: 'é'.repeat(50_000) }, // a vendor error text of any length is cut
    revision: 400,
  });
  const rows = await allRows(index);
  const sizes = rows.filter((r) => r.table !== `si${suite}Timeline`).map((r) => Buffer.byteLength(JSON.stringify(r), 'utf8'));
  expect(Math.max(...sizes)).toBeLessThan(8 * 1024);
  const lineSizes = rows.filter((r) => r.table === `si${suite}Timeline`).map((r) => Buffer.byteLength(JSON.stringify(r), 'utf8'));
  expect(lineSizes).toHaveLength(240);
  expect(Math.max(...lineSizes)).toBeLessThan(1024);
});

import { ownershipDescription, type PexipConference } from '../../src/adapters/pexip';
import type { SessionEvent } from '../../src/contracts';
import type { DurableControl, InstanceStatus } from '../../src/http/types';
import { createLogger } from '../../src/logging/logger';
import { reap, type ReaperDeps } from '../../src/maintenance/reaper';
import { emptyPool } from '../../entities/roomPool';
import type { RoomPoolState } from '../../src/contracts/roomPool';
import type { SessionRecord, TimelineLine } from '../../src/contracts/sessionIndex';

const PREFIX = 'mcprod-';
const NOW = Date.parse('2026-12-01T12:00:00Z');
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();
// Pexip writes alias creation times without a zone
const pexipTime = (t: number) => iso(t).replace('Z', '');

let nextId = 1;
function room(name: string, options: { madeAgoMs?: number; description?: string | null } = {}): PexipConference {
  const made = NOW - (options.madeAgoMs ?? 24 * 60 * MIN);
  return {
    id: nextId++,
    name,
    description: options.description === undefined ? ownershipDescription(PREFIX) : options.description,
    aliases: [{ alias: name, creation_time: pexipTime(made) }],
  } as PexipConference;
}

function session(instanceId: string, runtimeStatus: string, createdAgoMs = 30 * MIN): InstanceStatus {
  const created = iso(NOW - createdAgoMs);
  return { instanceId, name: 'callSession', runtimeStatus, input: {}, output: null, customStatus: null, createdTime: created, lastUpdatedTime: created };
}

interface World {
  rooms: PexipConference[];
  sessions: InstanceStatus[];
  pool?: RoomPoolState;
  failDelete?: Set<string>;
  /** the support read model's records, by session id */
  records?: Map<string, SessionRecord>;
  lines?: TimelineLine[];
}

async function runReaper(world: World) {
  const deleted: string[] = [];
  const published: SessionEvent[] = [];
  const terminated: string[] = [];
  const durable = {
    getStatus: async (id: string) => world.sessions.find((s) => s.instanceId === id),
    listInstances: async (filter: { runtimeStatus?: string[] }) =>
      world.sessions.filter((s) => !filter.runtimeStatus || filter.runtimeStatus.includes(s.runtimeStatus)),
    terminate: async (id: string) => void terminated.push(id),
  } as unknown as DurableControl;
  const deps: ReaperDeps = {
    rooms: {
      listOwnedRooms: async () => world.rooms,
      deleteRoom: async (name: string) => {
        if (world.failDelete?.has(name)) throw new Error('Pexip answered 503');
        deleted.push(name);
        return 'deleted' as const;
      },
    },
    roomPrefix: PREFIX,
    readRoomPool: async () => world.pool,
    publisher: () => ({ publish: async (event: SessionEvent) => (published.push(event), 'raised' as never) }),
    index: async () => {
      const records = (world.records ??= new Map());
      return {
        get: async (id: string) => records.get(id),
        upsert: async (record: SessionRecord) => {
          const applied = record.revision > (records.get(record.sessionId)?.revision ?? -1);
          if (applied) records.set(record.sessionId, record);
          return { applied };
        },
        appendTimeline: async (_id: string, lines: TimelineLine[]) => void (world.lines ??= []).push(...lines),
      };
    },
    sessionLifetimeMs: 4 * 60 * MIN,
    orphanGraceMs: 10 * MIN,
    logger: createLogger({ level: 'silent' }),
    now: () => new Date(NOW),
  };
  const report = await reap(deps, durable);
  return { report, deleted, published, terminated };
}

describe('the reaper', () => {
  it('deletes an owned room whose session has ended, and keeps the room of a running session', async () => {
    const { deleted, report } = await runReaper({
      rooms: [room('mcprod-ended'), room('mcprod-live')],
      sessions: [session('mcprod-ended', 'Completed'), session('mcprod-live', 'Running')],
    });
    expect(deleted).toEqual(['mcprod-ended']);
    expect(report.deletedAfterSession).toBe(1);
  });

  it('deletes an old owned room that no session knows, but spares one made in the last 10 minutes', async () => {
    const { deleted, report } = await runReaper({
      rooms: [room('mcprod-orphan', { madeAgoMs: 60 * MIN }), room('mcprod-new', { madeAgoMs: 2 * MIN })],
      sessions: [],
    });
    expect(deleted).toEqual(['mcprod-orphan']);
    expect(report.deletedOrphans).toBe(1);
  });

  it('spares a warm room claimed a moment ago whose session is not started yet, though the room itself is old', async () => {
    const pool: RoomPoolState = { ...emptyPool(), claimed: [{ name: 'mcprod-claimed', id: 9, claimId: 'c1', claimedAt: iso(NOW - 1000) }] };
    const { deleted } = await runReaper({ rooms: [room('mcprod-claimed', { madeAgoMs: 3 * 60 * MIN })], sessions: [], pool });
    expect(deleted).toEqual([]);
  });

  it('deletes a room claimed long ago whose session never started', async () => {
    const pool: RoomPoolState = { ...emptyPool(), claimed: [{ name: 'mcprod-claimed', id: 9, claimId: 'c1', claimedAt: iso(NOW - 30 * MIN) }] };
    const { deleted } = await runReaper({ rooms: [room('mcprod-claimed', { madeAgoMs: 3 * 60 * MIN })], sessions: [], pool });
    expect(deleted).toEqual(['mcprod-claimed']);
  });

  it('leaves the warm pool alone: ready, being made and broken rooms are not orphans', async () => {
    const pool: RoomPoolState = {
      ...emptyPool(),
      ready: [{ name: 'mcprod-ready', id: 1, createdAt: iso(NOW - 60 * MIN) } as RoomPoolState['ready'][number]],
      creating: [{ name: 'mcprod-creating', since: iso(NOW - 60 * MIN), purpose: 'pool' }],
      broken: [{ name: 'mcprod-broken', reason: 'tag failed', since: iso(NOW - 60 * MIN) }],
    };
    const { deleted } = await runReaper({ rooms: ['mcprod-ready', 'mcprod-creating', 'mcprod-broken'].map((n) => room(n)), sessions: [], pool });
    expect(deleted).toEqual([]);
  });

  it("never touches persistent rooms, v1's rooms, another slot's rooms or unmarked rooms, even if Pexip lists them", async () => {
    const { deleted, report } = await runReaper({
      rooms: [
        room('test_manual'),
        room('vkiosk_lobby'),
        room('mcprod-unmarked', { description: 'made by hand' }),
        room('mcedge-other', { description: ownershipDescription('mcedge-') }),
        room('mcprod-nodescription', { description: null }),
        room('v1room', { description: '' }),
      ],
      sessions: [],
    });
    expect(deleted).toEqual([]);
    expect(report.ownedRooms).toBe(0);
  });

  it('ends a session past its lifetime, and terminates one still running an hour after that', async () => {
    const { published, terminated, report } = await runReaper({
      rooms: [],
      sessions: [session('mcprod-old', 'Running', 4 * 60 * MIN + 5 * MIN), session('mcprod-stuck', 'Running', 6 * 60 * MIN), session('mcprod-young', 'Running', 60 * MIN)],
    });
    expect(published.map((e) => [e.type, e.roomName])).toEqual([['lifetime_exceeded', 'mcprod-old']]);
    expect(terminated).toEqual(['mcprod-stuck']);
    expect(report).toMatchObject({ endedPastLifetime: 1, terminatedStuck: 1 });
  });

  it('counts a room it could not delete and goes on with the rest', async () => {
    const { deleted, report } = await runReaper({
      rooms: [room('mcprod-a'), room('mcprod-b')],
      sessions: [session('mcprod-a', 'Completed'), session('mcprod-b', 'Failed')],
      failDelete: new Set(['mcprod-a']),
    });
    expect(deleted).toEqual(['mcprod-b']);
    expect(report.failures).toBe(1);
  });

  it('records a session terminated through the Durable API as terminated_by_support once its room is deleted', async () => {
    const waiting = { sessionId: 'mcprod-term', videoCallId: 'vc1', phase: 'waiting_for_citizen', createdAt: iso(NOW - 30 * MIN), updatedAt: iso(NOW - 30 * MIN), dialAttempts: 0, revision: 3 } as SessionRecord;
    const records = new Map([['mcprod-term', waiting]]);
    const world: World = { rooms: [room('mcprod-term'), room('mcprod-done')], sessions: [session('mcprod-term', 'Terminated'), session('mcprod-done', 'Completed')], records };
    const { deleted, report } = await runReaper(world);
    expect(deleted).toEqual(['mcprod-term', 'mcprod-done']);
    expect(records.get('mcprod-term')).toMatchObject({ phase: 'ended', outcome: 'terminated_by_support', revision: 4, teardown: { ok: true } });
    expect(records.get('mcprod-term')!.endedAt).toBeDefined();
    expect(world.lines).toEqual([expect.objectContaining({ seq: 3, what: 'terminated' })]);
    // a session that ended by itself is not rewritten
    expect(records.has('mcprod-done')).toBe(false);
    expect(report.recordedTerminated).toBe(1);
  });

  it('leaves a terminated session alone whose record already says how it ended', async () => {
    const ended = { sessionId: 'mcprod-t2', videoCallId: 'vc2', phase: 'ended', outcome: 'completed', createdAt: iso(NOW - 30 * MIN), updatedAt: iso(NOW), dialAttempts: 1, revision: 9 } as SessionRecord;
    const records = new Map([['mcprod-t2', ended]]);
    const { report } = await runReaper({ rooms: [room('mcprod-t2')], sessions: [session('mcprod-t2', 'Terminated')], records });
    expect(records.get('mcprod-t2')).toBe(ended);
    expect(report.recordedTerminated).toBe(0);
  });
});

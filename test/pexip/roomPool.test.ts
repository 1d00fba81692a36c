import fc from 'fast-check';
import { createPoolRoomActivity, deleteRoomActivity, tagRoomActivity, type PoolActivityDeps } from '../../activities/pexipRoom';
import { applyPoolOperation, emptyPool, roomPoolEntity } from '../../entities/roomPool';
import { claimRoomOrchestrator } from '../../orchestrators/claimRoom';
import { claimRoomFromPool, claimWarmRoom, clearRoomPool, growRoomPool, poolRoomNames } from '../../src/session/roomPoolClient';
import type { WarmRoom, WarmRoomQueue } from '../../src/contracts/sessionIndex';
import { offerWarmRoomActivity } from '../../activities/warmRoom';
import { clearRoomPoolOrchestrator, refillRoomPoolOrchestrator } from '../../orchestrators/refillRoomPool';
import { ACTIVITIES, ENTITIES, ORCHESTRATIONS, REFILL_INSTANCE_ID, type ClaimRoomOutput } from '../../src/contracts/durable';
import { ROOM_POOL_KEY, type RoomPoolState } from '../../src/contracts/roomPool';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import { createPexipClient, type PexipClient } from '../../src/adapters/pexip';
import { FakeDurable } from './fakeDurable';
import { silentLogger, testConfig } from './helpers';

describe('pool rules (pure)', () => {
  it('claims never hand out one room twice, whatever the interleaving of operations', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('make' as const), n: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ op: fc.constant('claim' as const), id: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ op: fc.constant('break' as const), n: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        let state: RoomPoolState = emptyPool();
        const handedOut = new Map<string, string>();
        const at = '2026-01-05T17:00:00.000Z';
        for (const o of ops) {
          if (o.op === 'make') {
            state = applyPoolOperation(state, { op: 'reserve', name: `r${o.n}`, at, purpose: 'pool' }).state;
            state = applyPoolOperation(state, { op: 'created', name: `r${o.n}`, id: o.n, at }).state;
          } else if (o.op === 'break') {
            state = applyPoolOperation(state, { op: 'markBroken', name: `r${o.n}`, reason: 'x', at }).state;
          } else {
            const { state: next, result } = applyPoolOperation(state, { op: 'claim', claimId: `c${o.id}`, at });
            state = next;
            if (result && typeof result === 'object' && 'room' in result) {
              const name = (result as { room: { name: string } }).room.name;
              const owner = handedOut.get(name);
              // the same claim may ask again and get its own room back; nobody else may get it
              if (owner !== undefined && owner !== `c${o.id}`) return false;
              handedOut.set(name, `c${o.id}`);
            }
          }
          // every name is in exactly one list
          const names = [...state.ready, ...state.creating, ...state.claimed, ...state.broken].map((r) => r.name);
          if (new Set(names).size !== names.length) return false;
        }
        return true;
      }),
    );
  });

  it('a reserved name is tracked before it exists and counts towards the pool size', () => {
    let s = applyPoolOperation(emptyPool(), { op: 'reserve', name: 'a', at: '2026-01-05T17:00:00Z', purpose: 'pool' }).state;
    const plan = applyPoolOperation(s, { op: 'plan', size: 3, at: '2026-01-05T17:00:30Z', staleAfterMs: 120_000 }).result;
    expect(plan).toEqual({ deficit: 2, stale: [], broken: [] });
    const later = applyPoolOperation(s, { op: 'plan', size: 3, at: '2026-01-05T17:05:00Z', staleAfterMs: 120_000 }).result;
    expect(later).toMatchObject({ stale: [expect.objectContaining({ name: 'a' })] });
    s = applyPoolOperation(s, { op: 'grow', count: 4 }).state;
    expect(applyPoolOperation(s, { op: 'plan', size: 3, at: '2026-01-05T17:00:30Z', staleAfterMs: 120_000 }).result).toMatchObject({ deficit: 6 });
  });

  it('a plan forgets claims older than an hour, so the entity shrinks back once sessions stop', () => {
    let s = emptyPool();
    for (const [name, at] of [['old', '2026-01-05T16:00:00Z'], ['new', '2026-01-05T16:45:00Z']] as const) {
      s = applyPoolOperation(s, { op: 'reserve', name, at, purpose: 'pool' }).state;
      s = applyPoolOperation(s, { op: 'created', name, id: 1, at }).state;
      s = applyPoolOperation(s, { op: 'claim', claimId: `c-${name}`, at }).state;
    }
    expect(s.claimed.map((c) => c.name)).toEqual(['old', 'new']);
    s = applyPoolOperation(s, { op: 'plan', size: 0, at: '2026-01-05T17:00:00Z', staleAfterMs: 120_000 }).state;
    expect(s.claimed.map((c) => c.name)).toEqual(['new']);
    s = applyPoolOperation(s, { op: 'plan', size: 0, at: '2026-01-05T17:45:00Z', staleAfterMs: 120_000 }).state;
    expect(s).toEqual(emptyPool());
  });
});

describe('warm pool against the simulator (real activities over HTTP)', () => {
  let sim: PexipSimulator;
  let pexip: PexipClient;
  const config = () => testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw', ROOM_POOL_SIZE: '3' });

  beforeEach(async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' } });
    pexip = createPexipClient(config(), silentLogger, { timeoutMs: 2000 });
  });
  afterEach(() => sim.stop());

  /** timerRaceMs: how long (real ms) a raced timer takes to win against an activity */
  /** the warm-room queue's contract in memory: an atomic take from the front */
  function memoryQueue(): WarmRoomQueue & { rooms: WarmRoom[] } {
    const rooms: WarmRoom[] = [];
    let receipt = 0;
    return {
      rooms,
      offer: async (room) => void rooms.push(room),
      claim: async () => {
        const room = rooms.shift();
        return room ? { room, receipt: `m-${receipt++}` } : undefined;
      },
      size: async () => rooms.length,
      clear: async () => void rooms.splice(0),
    };
  }
  let queue = memoryQueue();
  beforeEach(() => {
    queue = memoryQueue();
  });

  function runtime(poolSize: number, extra: Partial<PoolActivityDeps> = {}, timerRaceMs = 5_000) {
    const deps: PoolActivityDeps = { rooms: () => pexip.rooms, logger: silentLogger, ...extra };
    return new FakeDurable({
      orchestrations: {
        [ORCHESTRATIONS.claimRoom.name]: claimRoomOrchestrator({ roomPrefix: 'mctest-', onDemandTimeoutMs: 5_000 }),
        [ORCHESTRATIONS.refillRoomPool.name]: refillRoomPoolOrchestrator({ roomPrefix: 'mctest-', poolSize, batchSize: 5, staleAfterMs: 0, retryDelayMs: 1, maxFailingRounds: 2 }),
        [ORCHESTRATIONS.clearRoomPool.name]: clearRoomPoolOrchestrator,
      },
      activities: {
        [ACTIVITIES.pexipCreatePoolRoom.name]: createPoolRoomActivity(deps),
        [ACTIVITIES.pexipTagRoom.name]: tagRoomActivity(deps),
        [ACTIVITIES.pexipDeleteRoom.name]: deleteRoomActivity(deps),
        [ACTIVITIES.offerWarmRoom.name]: offerWarmRoomActivity(async () => queue),
      },
      entities: { [ENTITIES.roomPool.name]: roomPoolEntity as never },
      timerRaceMs,
    });
  }
  const poolState = (d: FakeDurable) => d.entityStates.get(`${ENTITIES.roomPool.name}@${ROOM_POOL_KEY}`) as RoomPoolState;

  it('refills to ROOM_POOL_SIZE with owned rooms carrying 4/6-digit PINs', async () => {
    const d = runtime(3);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    expect(poolState(d).ready).toHaveLength(3);
    const rooms = sim.rooms();
    expect(rooms).toHaveLength(3);
    for (const r of rooms) {
      expect(r.name).toMatch(/^mctest-[0-9a-f]{12}$/);
      expect(r.guest_pin).toMatch(/^\d{4}$/);
      expect(r.pin).toMatch(/^\d{6}$/);
      expect(r.description).toMatch(/^maxconf:v2 /);
    }
  });

  it('50 concurrent claims get 50 distinct rooms, tagged; the pool refills afterwards', async () => {
    const d = runtime(50);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    expect(poolState(d).ready).toHaveLength(50);
    const results = (await Promise.all(
      Array.from({ length: 50 }, (_, i) => d.runOrchestration(ORCHESTRATIONS.claimRoom.name, `claim-${i}`, { tag: `https://id.gov.bc.ca/idcheck/protected/video/v${i}` })),
    )) as ClaimRoomOutput[];
    const names = results.map((r) => (r.ok ? r.room.name : `failed:${r.reason}`));
    expect(new Set(names).size).toBe(50);
    expect(results.every((r) => r.ok && r.source === 'pool')).toBe(true);
    for (const [i, r] of results.entries()) if (r.ok) expect(sim.rooms().find((v) => v.name === r.room.name)?.tag).toBe(`https://id.gov.bc.ca/idcheck/protected/video/v${i}`);
    expect(poolState(d).ready).toHaveLength(0);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    expect(poolState(d).ready).toHaveLength(50);
    expect(sim.rooms()).toHaveLength(100);
  });

  it('an empty pool makes a room on demand for the claim', async () => {
    const d = runtime(0);
    const result = (await d.runOrchestration(ORCHESTRATIONS.claimRoom.name, 'claim-x', { tag: 'https://t/1' })) as ClaimRoomOutput;
    expect(result).toMatchObject({ ok: true, source: 'on_demand', room: { tag: 'https://t/1' } });
    expect(poolState(d).claimed.map((c) => c.name)).toEqual([result.ok ? result.room.name : '']);
  });

  it('an empty pool whose room cannot be made in time answers pool_exhausted, and the late room stays tracked', async () => {
    const slowDeps: Partial<PoolActivityDeps> = {
      rooms: () => ({
        ...pexip.rooms,
        createRoom: async (room) => {
          await new Promise((r) => setTimeout(r, 300));
          return pexip.rooms.createRoom(room);
        },
      }),
    };
    const slow = runtime(0, slowDeps, 50);
    const result = (await slow.runOrchestration(ORCHESTRATIONS.claimRoom.name, 'claim-y', { tag: 'https://t/2' })) as ClaimRoomOutput;
    expect(result).toMatchObject({ ok: false, reason: 'pool_exhausted' });
    await new Promise((r) => setTimeout(r, 400));
    // the room appeared after the claim gave up: it is a tracked warm room-to-be, not an orphan
    const created = sim.rooms().map((r) => r.name);
    expect(created).toHaveLength(1);
    expect(poolState(slow).creating).toEqual([expect.objectContaining({ name: created[0], purpose: 'pool' })]);
    await slow.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    expect(poolState(slow).ready.map((r) => r.name)).toEqual(created);
  });

  it('a room whose tag update fails is marked broken, never handed out, replaced and deleted', async () => {
    const d = runtime(2);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    const [first, second] = poolState(d).ready.map((r) => r.name);
    // the first pool room vanished from Pexip behind MaxConf's back
    await pexip.rooms.deleteRoom(first!);
    const result = (await d.runOrchestration(ORCHESTRATIONS.claimRoom.name, 'claim-b', { tag: 'https://t/3' })) as ClaimRoomOutput;
    expect(result).toMatchObject({ ok: true, room: { name: second } });
    expect(poolState(d).broken.map((b) => b.name)).toEqual([first]);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    expect(poolState(d).broken).toEqual([]);
    expect(poolState(d).ready).toHaveLength(2);
    expect(poolState(d).ready.map((r) => r.name)).not.toContain(first);
  });

  it('a crash mid-refill leaves no room that nothing tracks; the next refill settles it', async () => {
    const d = runtime(3);
    let creates = 0;
    d.beforeActivity = (name) => {
      if (name === ACTIVITIES.pexipCreatePoolRoom.name && ++creates === 2) throw new Error('process killed');
    };
    // the orchestration dies on the second create: one room made, names reserved for all three
    await expect(d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {})).rejects.toThrow('process killed');
    d.beforeActivity = undefined;
    const tracked = () => {
      const s = poolState(d);
      return new Set([...s.ready, ...s.creating, ...s.claimed, ...s.broken].map((r) => r.name));
    };
    const onPexip = () => sim.rooms().map((r) => r.name);
    for (const name of onPexip()) expect(tracked().has(name)).toBe(true);
    expect(poolState(d).creating.length).toBeGreaterThan(0);
    // also a crash between Pexip's create and the pool's confirmation
    await pexip.rooms.createRoom({ name: poolState(d).creating[0]!.name, guestPin: '1234', hostPin: '987654' });
    for (const name of onPexip()) expect(tracked().has(name)).toBe(true);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    expect(poolState(d).creating).toEqual([]);
    expect(poolState(d).ready).toHaveLength(3);
    expect(new Set(onPexip())).toEqual(tracked());
  });

  it('create claims from the warm-room queue directly: distinct tagged rooms, the books follow, then on demand when empty', async () => {
    const d = runtime(4);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    expect(queue.rooms.map((r) => r.name).sort()).toEqual(poolState(d).ready.map((r) => r.name).sort());
    const deps = { queue: async () => queue, rooms: pexip.rooms, logger: silentLogger, now: () => new Date() };
    const started: string[] = [];
    const startNew = d.startNew.bind(d);
    d.startNew = async (o, id, input) => {
      started.push(o.name);
      return startNew(o, id, input);
    };
    const claims = await Promise.all([1, 2, 3].map((i) => claimWarmRoom(deps, d, `https://t/${i}`)));
    const names = claims.map((c) => (c.ok ? c.room.name : ''));
    expect(new Set(names).size).toBe(3);
    expect(claims.map((c) => (c.ok ? c.room.tag : ''))).toEqual(['https://t/1', 'https://t/2', 'https://t/3']);
    // no claim orchestration was waited on for a warm room
    expect(started.filter((n) => n === ORCHESTRATIONS.claimRoom.name)).toEqual([]);
    expect(poolState(d).claimed.map((c) => c.name).sort()).toEqual([...names].sort());
    expect(poolState(d).ready.map((r) => r.name)).not.toEqual(expect.arrayContaining(names));

    // a room offered twice whose session exists is skipped, never handed out again
    const taken = names[0]!;
    d.instances.set(taken, { instanceId: taken, name: 'callSession', runtimeStatus: 'Running', input: null, output: null, customStatus: null, createdTime: '', lastUpdatedTime: '' });
    await waitUntil(async () => (await d.getStatus(REFILL_INSTANCE_ID))?.runtimeStatus === 'Completed');
    queue.rooms.splice(0, queue.rooms.length, { name: taken, id: 1, createdAt: '' });
    const onDemand = await claimWarmRoom(deps, d, 'https://t/4');
    expect(onDemand).toMatchObject({ ok: true, source: 'on_demand', room: { tag: 'https://t/4' } });
    expect(onDemand.ok && onDemand.room.name).not.toBe(taken);
    // the ready rooms the entity lists are the queue's: the on-demand claim left them alone
    expect(poolState(d).ready.every((r) => !names.includes(r.name))).toBe(true);
  });

  it('HTTP helpers: claimRoomFromPool polls to the answer, growRoomPool adds rooms, clearRoomPool deletes the warm ones', async () => {
    const d = runtime(2);
    await d.runOrchestration(ORCHESTRATIONS.refillRoomPool.name, REFILL_INSTANCE_ID, {});
    const claim = await claimRoomFromPool(d, 'https://t/9', { timeoutMs: 5000 });
    expect(claim).toMatchObject({ ok: true, room: { tag: 'https://t/9' } });
    // the claim nudged the refill singleton
    expect(d.instances.get(REFILL_INSTANCE_ID)?.name).toBe(ORCHESTRATIONS.refillRoomPool.name);
    await waitUntil(async () => (await d.getStatus(REFILL_INSTANCE_ID))?.runtimeStatus === 'Completed');
    expect(poolState(d).ready).toHaveLength(2);
    await growRoomPool(d, 3);
    await waitUntil(async () => poolState(d).ready.length === 5);
    expect((await poolRoomNames(d)).size).toBe(5);
    expect(await clearRoomPool(d, { timeoutMs: 5000 })).toBe(5);
    expect(poolState(d).ready).toEqual([]);
    // only the claimed room is left on Pexip
    expect(sim.rooms().map((r) => r.name)).toEqual([claim.ok ? claim.room.name : '']);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import type { RoomPoolState } from '../../src/contracts/roomPool';
import { startTestHost, type TestHost } from '../support/localHost';

/** The host process dies while the refill is creating rooms; a new process on the same data resumes it. */
describe('a crash mid-refill', () => {
  let sim: PexipSimulator;
  const hosts: TestHost[] = [];

  afterAll(async () => {
    for (const h of hosts) await h.stop().catch(() => undefined);
    await sim?.stop();
  });

  it('leaves no room on Pexip that the pool does not track', async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' } });
    const dataDir = mkdtempSync(join(tmpdir(), 'mc-pexip-crash-'));
    const env = {
      MAXCONF_DATA_DIR: dataDir,
      PEXIP_MANAGEMENT_URL: sim.url,
      PEXIP_USERNAME: 'admin',
      PEXIP_PASSWORD: 'pw',
      MAXCONF_ROOM_PREFIX: 'mccrash-',
      ROOM_POOL_SIZE: '8',
      GENESYS_SIP_URI: 'sip:sbc_vbv_test@byoc.example',
      PEXIP_EVENT_SINK_PASSWORD: 's',
      GENESYS_EVENTS_API_KEY: 'k',
    };
    // every Pexip answer takes 150 ms, so the refill is mid-way when the process dies
    sim.setFaults({ latencyMs: 150 });
    const first = await startTestHost(env);
    hosts.push(first);
    const stateAt = async (host: TestHost): Promise<RoomPoolState | undefined> => {
      const r = await fetch(`${host.url}/runtime/webhooks/durabletask/entities/roomPool/default`);
      return r.ok ? ((await r.json()) as RoomPoolState) : undefined;
    };
    void first.advance(61_000).catch(() => undefined);
    // stop the moment the refill has reserved names but not yet recorded any room as made
    let midRefill = false;
    for (let i = 0; i < 400 && !midRefill; i++) {
      const s = await stateAt(first);
      midRefill = !!s && s.creating.length > 0 && s.ready.length === 0;
      if (!midRefill) await new Promise((r) => setTimeout(r, 5));
    }
    expect(midRefill).toBe(true);
    await first.stop();

    // in-flight creates may still land on Pexip after the process is gone
    await new Promise((r) => setTimeout(r, 400));
    const second = await startTestHost(env);
    hosts.push(second);
    const state = async () => (await stateAt(second))!;
    const before = await state();
    const tracked = (s: RoomPoolState) => new Set([...s.ready, ...s.creating, ...s.claimed, ...s.broken].map((r) => r.name));
    // right after the crash: every room on Pexip is already known to the pool (reserved before creation)
    for (const room of sim.rooms()) expect(tracked(before).has(room.name)).toBe(true);

    sim.setFaults({});
    for (let i = 0; i < 200 && (await state()).ready.length < 8; i++) {
      await second.advance(60_000);
      await second.idle();
    }
    const after = await state();
    expect(after.ready).toHaveLength(8);
    expect(after.creating).toEqual([]);
    expect(new Set(sim.rooms().map((r) => r.name))).toEqual(tracked(after));
  }, 60_000);
});

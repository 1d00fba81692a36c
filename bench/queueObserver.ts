/**
 * Genesys calls per minute spent following queued callers, at 1 and at N queued sessions (default
 * 500), both ways in the same run against the Genesys simulator through the real adapters:
 *
 * - baseline: behaviour 2's per-session poll, `queueStatus(conversationId)` for every queued
 *   session every 30 s (conversation, estimated wait and an analytics page each);
 * - the queue observer: six cycles a minute (its default schedule), one queue observation each.
 *
 * Goal (issue 12): the observer at N ≤ 5 % of the baseline at N.
 *
 *   npm run build && node dist/bench/queueObserver.js [--sessions 500]
 */
import { parseArgs } from 'node:util';
import { manualClock, startGenesysSimulator } from '../local/genesys-simulator';
import { createServiceClient, type GenesysServiceClient } from '../src/adapters/genesys/client';
import { createGenesysConversations } from '../src/adapters/genesys/conversations';
import { createQueueObservations } from '../src/adapters/genesys/queueObservations';
import type { DurableControl, InstanceStatus } from '../src/contracts/ports';
import { createLogger } from '../src/logging/logger';
import { createQueueObserver } from '../src/observers/queueObserver';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '500' } } });
const N = Number(values.sessions);
const POLLS_PER_MINUTE = 2; // behaviour 2: every 30 s
const CYCLES_PER_MINUTE = 6; // the observer: every 10 s

async function main() {
  const clock = manualClock();
  const sim = await startGenesysSimulator({ clock, agents: 1, agentsBusy: true, answerDelayMs: 0, flowDelayMs: 0 });
  const logger = createLogger({ level: 'silent' });
  try {
    const raw = createServiceClient({ region: 'cac1.pure.cloud', apiBaseUrl: sim.url, credentials: sim.clients[0]!, logger, sleep: async () => {} });
    let calls = 0;
    const client: GenesysServiceClient = { sdk: raw.sdk, call: (operation, fn) => ((calls += 1), raw.call(operation, fn)) };
    const conversations = createGenesysConversations({ client, logger, now: () => new Date(clock.now()), queueName: sim.queue.name });
    const sessions: InstanceStatus[] = [];
    const durable = { listInstances: async () => sessions } as unknown as DurableControl;
    const observer = createQueueObserver({
      observations: createQueueObservations(client),
      conversations,
      queueName: sim.queue.name,
      publisher: () => ({ publish: async () => 'accepted' as const }),
      logger,
      now: () => new Date(clock.now()),
    });
    await conversations.resolveQueue(sim.queue.name);

    async function queueUpTo(n: number) {
      while (sessions.length < n) {
        const room = `mclocal-bench${sessions.length}`;
        await sim.sipDestination.invite({ callId: `call-${room}`, fromUri: `sip:${room}@conf.sim.invalid`, fromDisplayName: room, toUri: sim.sipUri }, { remoteHangUp: () => {} });
        clock.advance(1000);
        const conversationId = (sim.control.state().conversations as { id: string; aniName: string }[]).find((c) => c.aniName === room)!.id;
        sessions.push({ instanceId: room, name: 'callSession', runtimeStatus: 'Running', input: {}, output: null, customStatus: { phase: 'queued', conversationId, citizenParticipants: [], sipParticipantId: null }, createdTime: '', lastUpdatedTime: '' });
      }
    }
    async function perMinute(run: () => Promise<void>, times: number) {
      calls = 0;
      for (let i = 0; i < times; i += 1) await run();
      return calls;
    }
    const polling = () =>
      perMinute(async () => {
        for (const s of sessions) await conversations.queueStatus((s.customStatus as { conversationId: string }).conversationId);
      }, POLLS_PER_MINUTE);
    const observing = () => perMinute(async () => void (await observer.cycle(durable)), CYCLES_PER_MINUTE);

    const rows: Record<string, string | number>[] = [];
    for (const n of [1, N]) {
      await queueUpTo(n);
      const baseline = await polling();
      const observed = await observing();
      rows.push({ queued: n, 'per-session polling (calls/min)': baseline, 'queue observer (calls/min)': observed, ratio: (observed / baseline).toFixed(4) });
    }
    console.table(rows);
    const last = rows[rows.length - 1]!;
    const ok = Number(last.ratio) <= 0.05;
    console.log(`queue observer at ${N} queued: ${(Number(last.ratio) * 100).toFixed(2)} % of per-session polling (goal ≤ 5 %): ${ok ? 'met' : 'NOT met'}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await sim.stop();
  }
}

void main();

import fc from 'fast-check';
import { SESSION_EVENT_TYPES, type SessionEvent } from '../../src/contracts';
import { isFinished, nextDeadline, OUTCOMES, type CallTruth } from '../../src/domain/session';
import { Driver, SETTINGS, V1_SETTINGS } from './driver';

/** What a vendor read may find: anything from an outage to a live, answered call. */
const truth: fc.Arbitrary<CallTruth> = fc.record({
  pexip: fc.oneof(
    fc.constant({ read: false as const, reason: 'down' }),
    fc.record({
      read: fc.constant(true as const),
      citizens: fc.array(fc.constantFrom('p0', 'p1', 'p2', 'p3'), { maxLength: 2 }),
      sipLegs: fc.array(fc.record({ participantId: fc.constantFrom('p0', 'p1', 'p-sip'), connected: fc.boolean() }), { maxLength: 2 }),
    }),
  ),
  genesys: fc.oneof(
    fc.constant({ read: false as const, reason: 'down' }),
    fc.record({
      read: fc.constant(true as const),
      state: fc.constantFrom('none' as const, 'queued' as const, 'answered' as const, 'ended' as const),
      conversationId: fc.constantFrom('c-1', 'c-2'),
      agentUserId: fc.constant('u-1'),
    }),
  ),
});

type Step =
  | { kind: 'event'; type: SessionEvent['type']; participant: number; eventId: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'dial_ok' }
  | { kind: 'dial_fail' }
  | { kind: 'queue_status' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      type: fc.constantFrom(...SESSION_EVENT_TYPES),
      participant: fc.nat({ max: 3 }),
      // a small id space makes duplicates common
      eventId: fc.nat({ max: 40 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 3 * 3600_000 })),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'dial_ok' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'dial_fail' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'queue_status' as const }) },
);

const FIELDS: Partial<Record<SessionEvent['type'], Record<string, unknown>>> = {
  agent_connected: { agentUserId: 'u-1' },
  agent_left: { agentUserId: 'u-1' },
  sip_leg_failed: { reason: 'busy' },
  released_by_flow: { reason: 'after_hours' },
  support_terminated: { reason: 'test', by: 'support' },
};

describe('call session machine under random event sequences', () => {
  it('always ends in exactly one outcome, always commands teardown once, and commands nothing after', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.boolean(), fc.array(truth, { minLength: 1, maxLength: 8 }), fc.boolean(), (steps, teardownSucceeds, truths, behaviour1) => {
        const d = new Driver(behaviour1 ? V1_SETTINGS : SETTINGS);
        let reads = 0;
        d.truth = () => truths[reads++ % truths.length]!;
        let teardownAt = -1;
        const check = () => {
          const teardowns = d.commands.filter((c) => c.type === 'teardown');
          expect(teardowns.length).toBeLessThanOrEqual(1);
          if (teardowns.length === 1) {
            if (teardownAt < 0) {
              teardownAt = d.commands.length;
              // the orchestration reports teardown right after running it
              d.input({ kind: 'teardown_done', ok: teardownSucceeds });
            }
            expect(d.commands.length).toBe(teardownAt);
            expect(d.commands[teardownAt - 1]?.type).toBe('teardown');
            expect(OUTCOMES).toContain(d.state.outcome);
          } else {
            expect(d.state.outcome).toBeUndefined();
          }
          const deadline = nextDeadline(d.state);
          // nothing is ever left overdue: the machine acts on every due deadline at once
          if (deadline !== undefined) expect(Date.parse(deadline)).toBeGreaterThan(d.now);
        };
        for (const s of steps) {
          switch (s.kind) {
            case 'event':
              d.event({
                type: s.type,
                eventId: `e${s.eventId}`,
                ...(['citizen_joined', 'citizen_left', 'sip_leg_connected', 'sip_leg_ended', 'agent_video_joined', 'agent_video_left'].includes(s.type)
                  ? { participantId: `p${s.participant}` }
                  : {}),
                ...FIELDS[s.type],
              });
              break;
            case 'advance':
              d.advance(s.ms);
              break;
            case 'dial_ok':
              d.dialPlaced(`p${d.state.dial.attempts}`);
              break;
            case 'dial_fail':
              d.input({ kind: 'dial_result', attempt: d.state.dial.attempts, ok: false, reason: 'x' });
              break;
            case 'queue_status':
              d.input({ kind: 'queue_status', estimatedWaitSeconds: 10, position: 1 });
              break;
          }
          check();
        }
        // however the sequence went, the session lifetime ends it
        d.advance(5 * 3600_000);
        check();
        expect(isFinished(d.state)).toBe(true);
        expect(d.commands.filter((c) => c.type === 'teardown')).toHaveLength(1);
        expect(d.state.stage).toBe('ended');
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 3000), seed: 20261125 },
    );
  });
});

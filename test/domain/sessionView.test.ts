import fc from 'fast-check';
import { CUSTOM_STATUS_LIMIT_BYTES, customStatusBytes, STATUS_BUDGET_BYTES, statusViewOf, viewOf } from '../../src/domain/sessionView';
import { Driver, toInCall, toQueued } from './driver';

describe('the session view as custom status stays under Durable Functions’ 16 KB limit', () => {
  it('a 45-minute queue wait with Pexip noise and a 2-hour call fit, and the output keeps the whole timeline', () => {
    const queued = toQueued();
    for (let minute = 0; minute < 45; minute++) {
      queued.advance(60_000);
      queued.event({ type: 'agent_video_joined', participantId: `p-agent-${minute}` });
      queued.event({ type: 'agent_video_left', participantId: `p-agent-${minute}` });
    }
    const call = toInCall();
    for (let minute = 0; minute < 119; minute++) {
      call.advance(60_000);
      call.event({ type: 'citizen_left' });
      call.event({ type: 'citizen_joined', participantId: `p-citizen-${minute}` });
    }
    for (const d of [queued, call]) {
      const status = statusViewOf(d.state, 'vc-1');
      expect(customStatusBytes(status)).toBeLessThanOrEqual(STATUS_BUDGET_BYTES);
      expect(status.timeline.at(-1)).toEqual(d.state.timeline.at(-1));
      // what the status leaves out is counted, and the output still has it
      expect(status.timeline.length + status.timelineDropped).toBe(d.state.timeline.length + d.state.timelineDropped);
      expect(viewOf(d.state, 'vc-1').timeline).toHaveLength(d.state.timeline.length);
    }
  });

  it('holds for any sequence of events with the longest fields the event schemas allow', () => {
    const longId = fc.string({ minLength: 150, maxLength: 200 });
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ type: fc.constantFrom('citizen_joined', 'citizen_left', 'agent_video_joined', 'sip_leg_connected'), participantId: longId }),
            fc.record({ type: fc.constant('sip_leg_failed'), reason: fc.string({ minLength: 500, maxLength: 1000 }) }),
            fc.record({ type: fc.constant('advance'), ms: fc.integer({ min: 0, max: 10 * 60_000 }) }),
          ),
          { maxLength: 400 },
        ),
        (steps) => {
          const d = new Driver();
          for (const step of steps) {
            if (step.type === 'advance') d.advance(step.ms);
            else d.event(step);
            expect(customStatusBytes(statusViewOf(d.state, 'v'.repeat(100)))).toBeLessThan(CUSTOM_STATUS_LIMIT_BYTES);
          }
        },
      ),
      { numRuns: 60, seed: 20261201 },
    );
  });
});

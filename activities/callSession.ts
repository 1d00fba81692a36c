import type { PexipCalls, PexipRooms } from '../src/adapters/pexip';
import { isRetryablePexipError, PexipError } from '../src/adapters/pexip';
import type { Logger } from '../src/logging/logger';
import { ACTIVITIES, type DialQueueInput, type DialQueueResult, type TeardownInput, type TeardownResult } from '../src/contracts/durable';

/**
 * The session's Pexip IO, one concern per activity (its Genesys IO is in activities/genesys.ts). Activities run at least once, so each is written to
 * be safe when repeated: a repeated dial finds the leg it already placed, a repeated teardown
 * finds nothing left to do.
 */
export interface SessionActivityDeps {
  calls: Pick<PexipCalls, 'dialOut' | 'disconnectParticipant' | 'disconnectConference' | 'listParticipants'>;
  rooms: Pick<PexipRooms, 'deleteRoomById'>;
  logger: Logger;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function dialQueueActivity(deps: SessionActivityDeps) {
  const log = deps.logger.child({ activity: ACTIVITIES.dialQueue.name });
  return async (input: DialQueueInput): Promise<DialQueueResult> => {
    try {
      if (input.replaceParticipantId) {
        await deps.calls.disconnectParticipant(input.replaceParticipantId).catch((error: unknown) => {
          log.warn({ roomName: input.roomName, err: message(error) }, 'could not hang up the earlier attempt');
        });
      }
      // a repeated execution of this attempt must not ring Genesys twice
      const live = await deps.calls.listParticipants(input.roomName);
      const placed = live.find(
        (p) => p.call_direction === 'out' && (p.protocol ?? '').toLowerCase() === 'sip' && p.id !== input.replaceParticipantId,
      );
      if (placed) {
        log.info({ roomName: input.roomName, attempt: input.attempt }, 'dial-out already placed');
        return { ok: true, participantId: placed.id };
      }
      const { participantId } = await deps.calls.dialOut({ roomName: input.roomName, uui: input.uui });
      log.info({ roomName: input.roomName, attempt: input.attempt, participantId }, 'dialled the Genesys queue');
      return { ok: true, participantId };
    } catch (error) {
      const busy = isRetryablePexipError(error);
      log.warn({ roomName: input.roomName, attempt: input.attempt, retryable: busy, err: message(error) }, 'dial failed');
      // a retryable refusal is safe to repeat: the next try lists the room's legs before it dials
      const retryAfterSeconds = error instanceof PexipError ? error.retryAfterSeconds : undefined;
      return { ok: false, reason: message(error).slice(0, 300), ...(busy ? { busy } : {}), ...(busy && retryAfterSeconds ? { retryAfterSeconds } : {}) };
    }
  };
}

export function teardownSessionActivity(deps: SessionActivityDeps) {
  const log = deps.logger.child({ activity: ACTIVITIES.teardownSession.name });
  return async (input: TeardownInput): Promise<TeardownResult> => {
    const notes: string[] = [];
    const failures: string[] = [];
    // Both steps are tried every time: a failed hang-up must not keep the room alive, and the
    // other way round. Any failure fails the activity so the retry does both again.
    await deps.calls.disconnectConference(input.roomName).then(
      (result) => notes.push(`conference ${result}`),
      (error: unknown) => failures.push(`conference: ${message(error)}`),
    );
    // by the id the session was started with: no lookup by name
    await deps.rooms.deleteRoomById(input.roomId, input.roomName).then(
      (result) => notes.push(`room ${result}`),
      (error: unknown) => failures.push(`room: ${message(error)}`),
    );
    if (failures.length > 0) {
      log.warn({ roomName: input.roomName, outcome: input.outcome, done: notes, failed: failures }, 'teardown incomplete; will retry');
      throw new Error(`teardown incomplete: ${failures.join('; ')}`);
    }
    log.info({ roomName: input.roomName, outcome: input.outcome, steps: notes }, 'session torn down');
    return { ok: true, detail: notes.join('; ') };
  };
}

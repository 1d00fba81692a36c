import type { PexipCalls, PexipRooms } from '../src/adapters/pexip';
import { isRetryablePexipError } from '../src/adapters/pexip';
import type { Logger } from '../src/logging/logger';
import type {
  DialQueueInput,
  DialQueueResult,
  QueueStatusInput,
  QueueStatusResult,
  TeardownInput,
  TeardownResult,
} from '../orchestrators/callSession';

/**
 * The session's IO, one concern per activity. Activities run at least once, so each is written to
 * be safe when repeated: a repeated dial finds the leg it already placed, a repeated teardown
 * finds nothing left to do.
 */
export interface SessionActivityDeps {
  calls: Pick<PexipCalls, 'dialOut' | 'disconnectParticipant' | 'disconnectConference' | 'listParticipants'>;
  rooms: Pick<PexipRooms, 'deleteRoom'>;
  genesys: () => {
    queueStatus(conversationId: string): Promise<{ estimatedWaitSeconds: number | undefined; position: number | undefined } | undefined>;
    disconnectCustomer(conversationId: string): Promise<string>;
  };
  logger: Logger;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function dialQueueActivity(deps: SessionActivityDeps) {
  const log = deps.logger.child({ activity: 'dialQueue' });
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
      log.warn({ roomName: input.roomName, attempt: input.attempt, retryable: isRetryablePexipError(error), err: message(error) }, 'dial failed');
      return { ok: false, reason: message(error).slice(0, 300) };
    }
  };
}

export function queueStatusActivity(deps: SessionActivityDeps) {
  const log = deps.logger.child({ activity: 'queueStatus' });
  return async (input: QueueStatusInput): Promise<QueueStatusResult> => {
    try {
      const status = await deps.genesys().queueStatus(input.conversationId);
      const result: QueueStatusResult = {};
      if (status?.estimatedWaitSeconds !== undefined) result.estimatedWaitSeconds = status.estimatedWaitSeconds;
      if (status?.position !== undefined) result.position = status.position;
      return result;
    } catch (error) {
      // a stale estimate is better than a failed session; the next refresh tries again
      log.warn({ conversationId: input.conversationId, err: message(error) }, 'queue status unavailable');
      return {};
    }
  };
}

export function teardownSessionActivity(deps: SessionActivityDeps) {
  const log = deps.logger.child({ activity: 'teardownSession' });
  return async (input: TeardownInput): Promise<TeardownResult> => {
    const notes: string[] = [];
    if (input.disconnectConversationId) {
      try {
        notes.push(`genesys ${await deps.genesys().disconnectCustomer(input.disconnectConversationId)}`);
      } catch (error) {
        // Pexip hanging up the SIP leg below ends the Genesys call too; note it and go on
        notes.push(`genesys disconnect failed: ${message(error).slice(0, 120)}`);
      }
    }
    notes.push(`conference ${await deps.calls.disconnectConference(input.roomName)}`);
    notes.push(`room ${await deps.rooms.deleteRoom(input.roomName)}`);
    log.info({ roomName: input.roomName, outcome: input.outcome, steps: notes }, 'session torn down');
    return { ok: true, detail: notes.join('; ') };
  };
}

import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { ACTIVITIES, ORCHESTRATIONS, type DialQueueInput, type TeardownInput, type TeardownResult } from '../src/contracts/durable';
import { callActivity, inputOf } from '../src/contracts/durableCalls';
import { SESSION_EVENT_NAME, SessionEvent } from '../src/contracts/sessionEvents';
import { linesWritten, sessionRecordOf, supportKeyOf, timelineSince } from '../src/contracts/sessionRecord';
import { statusViewOf, viewOf, type SessionView } from '../src/domain/sessionView';
import { decide, nextDeadline, startSession, type Command, type MachineInput } from '../src/domain/session';

const TEARDOWN_RETRY = new df.RetryOptions(5_000, 4);
TEARDOWN_RETRY.backoffCoefficient = 2;
const RECORD_RETRY = new df.RetryOptions(2_000, 3);
RECORD_RETRY.backoffCoefficient = 2;
/** Sessions from this behaviour on write the support read model (older ones replay without it). */
const READ_MODEL_BEHAVIOUR = 2;

/**
 * One call, start to end: feeds the domain machine every inbound event and fired deadline,
 * carries out its commands, and waits for whichever comes first, an event or the next deadline.
 * The losing timer is cancelled, so nothing keeps the instance open after it ends.
 */
export function* callSession(context: OrchestrationContext): Generator<Task, SessionView, unknown> {
  const input = inputOf(context, ORCHESTRATIONS.callSession);
  const now = () => context.df.currentUtcDateTime;
  let state = startSession(input.roomName, input.settings, now());
  context.df.setCustomStatus(statusViewOf(state, input.videoCallId));

  // the support read model: what was last written (support key, lines, revision)
  const recordsReadModel = (input.settings.version ?? 1) >= READ_MODEL_BEHAVIOUR;
  let recordedKey = '';
  let recordedLines = 0;
  let revision = 0;
  const record = function* (): Generator<Task, void, unknown> {
    const key = supportKeyOf(state);
    const written = linesWritten(state);
    if (!recordsReadModel || (key === recordedKey && written === recordedLines)) return;
    const next = Math.max(written, revision + 1);
    try {
      yield* callActivity(
        context,
        ACTIVITIES.recordSession,
        { record: sessionRecordOf(state, input.videoCallId, next, now()), lines: timelineSince(state, recordedLines) },
        RECORD_RETRY,
      );
      recordedKey = key;
      recordedLines = written;
      revision = next;
    } catch {
      // the index is for support only: the session goes on; the next record carries these lines too
    }
  };

  const step = function* (machineInput: MachineInput): Generator<Task, void, unknown> {
    const decision = decide(state, machineInput, now());
    state = decision.state;
    // readers see the new phase (and outcome) while the commands' activities run; the status is
    // bounded (Durable Functions fails an orchestration whose custom status passes 16 KB)
    context.df.setCustomStatus(statusViewOf(state, input.videoCallId));
    // written only when what support sees changed: no history per queue refresh or minute waited
    if (supportKeyOf(state) !== recordedKey) yield* record();
    yield* carryOut(decision.commands);
  };

  const carryOut = function* (commands: Command[]): Generator<Task, void, unknown> {
    for (const command of commands) {
      switch (command.type) {
        case 'dial_queue': {
          const dial: DialQueueInput = { roomName: input.roomName, uui: input.uui, attempt: command.attempt };
          if (command.replaceParticipantId) dial.replaceParticipantId = command.replaceParticipantId;
          const result = yield* callActivity(context, ACTIVITIES.dialQueue, dial);
          yield* step(
            result.ok
              ? { kind: 'dial_result', attempt: command.attempt, ok: true, participantId: result.participantId }
              : { kind: 'dial_result', attempt: command.attempt, ok: false, reason: result.reason, ...(result.busy ? { busy: true, retryAfterSeconds: result.retryAfterSeconds } : {}) },
          );
          break;
        }
        case 'refresh_queue_status': {
          if (!command.conversationId) {
            // no Genesys event named the conversation yet: look it up by the room (the caller name)
            const found = yield* callActivity(context, ACTIVITIES.genesysFindConversation, { roomName: input.roomName, uui: input.uui });
            if (found.found) {
              yield* step({
                kind: 'queue_status',
                conversationId: found.conversationId,
                ...(found.state === 'connected' && found.agentUserId ? { answeredBy: found.agentUserId } : {}),
                ...(found.state === 'ended' ? { customerEnded: true } : {}),
              });
            }
            break;
          }
          const status = yield* callActivity(context, ACTIVITIES.genesysQueueStatus, { conversationId: command.conversationId });
          // an unavailable estimate leaves the last one shown; the next refresh tries again
          if (!status.unavailable) {
            const known: { estimatedWaitSeconds?: number; position?: number; answeredBy?: string; customerEnded?: boolean } = {};
            if (status.estimatedWaitSeconds !== undefined) known.estimatedWaitSeconds = status.estimatedWaitSeconds;
            if (status.position !== undefined) known.position = status.position;
            if (status.answeredBy) known.answeredBy = status.answeredBy;
            if (status.customerEnded) known.customerEnded = true;
            yield* step({ kind: 'queue_status', ...known });
          }
          break;
        }
        case 'check_truth': {
          const truth = yield* callActivity(context, ACTIVITIES.checkCallTruth, {
            roomName: input.roomName,
            uui: input.uui,
            genesys: command.genesys,
            ...(command.conversationId ? { conversationId: command.conversationId } : {}),
          });
          yield* step({ kind: 'truth', check: command.check, truth });
          break;
        }
        case 'teardown': {
          if (command.disconnectConversationId) {
            try {
              yield* callActivity(context, ACTIVITIES.genesysDisconnect, { conversationId: command.disconnectConversationId }, TEARDOWN_RETRY);
            } catch {
              // hanging up the room's SIP leg below ends the Genesys call as well
            }
          }
          const teardown: TeardownInput = { roomName: input.roomName, roomId: input.roomId, outcome: command.outcome };
          let result: TeardownResult;
          try {
            result = yield* callActivity(context, ACTIVITIES.teardownSession, teardown, TEARDOWN_RETRY);
          } catch (error) {
            // the reaper deletes what teardown could not; the session still ends
            result = { ok: false, detail: error instanceof Error ? error.message.slice(0, 300) : 'teardown failed' };
          }
          yield* step({ kind: 'teardown_done', ...result });
          break;
        }
      }
    }
  };

  // A deadline can already be due at start (a zero join timeout); let the machine see it.
  yield* step({ kind: 'deadline' });

  while (state.stage !== 'ended') {
    const deadline = nextDeadline(state);
    const eventTask = context.df.waitForExternalEvent(SESSION_EVENT_NAME);
    if (deadline === undefined) {
      const raw = yield eventTask;
      yield* step(parseEvent(raw));
      continue;
    }
    const timer = context.df.createTimer(new Date(deadline));
    const winner = yield context.df.Task.any([eventTask, timer]);
    if (winner === eventTask) {
      timer.cancel();
      yield* step(parseEvent(eventTask.result));
    } else {
      yield* step({ kind: 'deadline' });
    }
  }

  // lines written since the last change support sees (none, usually) go in with a last record
  yield* record();
  // the output keeps the whole timeline; the status stays within its bound
  context.df.setCustomStatus(statusViewOf(state, input.videoCallId));
  return viewOf(state, input.videoCallId);
}

/**
 * Events were validated at ingestion; a payload that still fails here (raised by hand through the
 * management API, say) becomes a no-op deadline check rather than a failed session.
 */
function parseEvent(raw: unknown): MachineInput {
  const parsed = SessionEvent.safeParse(raw);
  return parsed.success ? { kind: 'event', event: parsed.data } : { kind: 'deadline' };
}

import type { EngineContext } from './engineContext';
import { event, EventType, type HistoryEvent } from './history';
import { errorMessage, fromTypedData, triggerBinding } from './invoke';
import { TERMINAL_STATUSES, type ActivityWork } from './store';

/**
 * An activity's exception in the shape the extension stores: legacy Reason/Details, or, when the
 * app registered an exception-properties provider (durable-functions 3.5), FailureDetails.
 */
function activityFailure(work: ActivityWork, error: unknown, now: number): HistoryEvent {
  const message = errorMessage(error);
  try {
    const dto = JSON.parse(message) as { errorType?: string; errorMessage?: string; stackTrace?: string; isNonRetriable?: boolean; properties?: unknown };
    if (dto && typeof dto === 'object' && typeof dto.errorType === 'string' && typeof dto.errorMessage === 'string') {
      return event(EventType.TaskFailed, -1, now, {
        TaskScheduledId: work.seq,
        Reason: `Activity function '${work.name}' failed: ${dto.errorMessage}`,
        Details: dto.stackTrace ?? '',
        FailureDetails: {
          ErrorType: dto.errorType,
          ErrorMessage: dto.errorMessage,
          StackTrace: dto.stackTrace ?? null,
          IsNonRetriable: dto.isNonRetriable ?? false,
          Properties: dto.properties ?? null,
          InnerFailure: null,
        },
      });
    }
  } catch {
    // not the JSON form: the legacy shape below
  }
  return event(EventType.TaskFailed, -1, now, {
    TaskScheduledId: work.seq,
    Reason: `Activity function '${work.name}' failed: ${message}`,
    Details: error instanceof Error && error.stack ? error.stack : message,
  });
}

/** Runs scheduled activities at-least-once and queues their completion for the orchestration. */
export class ActivityRunner {
  constructor(private readonly ctx: EngineContext) {}

  async run(work: ActivityWork): Promise<void> {
    const { store, functions, invoker, clock } = this.ctx;
    const now = (): number => clock.now();
    const fn = functions.activity(work.name);
    let completion: HistoryEvent;
    if (!fn) {
      completion = event(EventType.TaskFailed, -1, now(), {
        TaskScheduledId: work.seq,
        Reason: `The function '${work.name}' doesn't exist, is disabled, or is not an activity function.`,
        Details: '',
      });
    } else {
      try {
        const [bindingName] = triggerBinding(fn);
        const result = await invoker.invoke(fn, [{ name: bindingName, data: work.input === null ? undefined : { string: work.input } }]);
        const value = fromTypedData(result.returnValue);
        completion = event(EventType.TaskCompleted, -1, now(), { TaskScheduledId: work.seq, Result: JSON.stringify(value ?? null) });
      } catch (error) {
        completion = activityFailure(work, error, now());
      }
    }
    store.transaction(() => {
      // the completion and the removal of the work item commit together: a crash before this
      // runs the activity again (at-least-once, as in Azure), never loses or doubles its result
      if (!store.activities.delete(work.id)) return;
      const instance = store.instances.get(work.instanceId);
      if (!instance || instance.executionId !== work.executionId || TERMINAL_STATUSES.has(instance.status)) return;
      store.inbox.add(work.instanceId, work.executionId, now(), completion);
    });
  }
}

import { EventType, type HistoryEvent } from './history';

/**
 * History as the management API's `showHistory=true` returns it: the extension's cleaned form
 * (`DurableClient.GetOrchestrationStateWithHistory…`), not the stored DTFx events. Event types
 * by name; OrchestratorStarted/Completed dropped; ExecutionStarted's `Name` as `FunctionName`;
 * a task's TaskScheduled (or SubOrchestrationInstanceCreated) dropped once its completion is
 * seen, with its time as `ScheduledTime` and its name as `FunctionName` on the completion;
 * results only with `showHistoryOutput`; inputs only with `showInput`; no `EventId`/`IsPlayed`.
 */
export interface HistoryViewOptions {
  showHistoryOutput: boolean;
  showInput: boolean;
}

interface Scheduled {
  index: number;
  name: unknown;
  timestamp: unknown;
  input: unknown;
}

/** the extension parses JSON text results into JSON values, falling back to the raw text */
function jsonOrText(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  const trimmed = value.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export function formatHistoryEvents(events: readonly HistoryEvent[], options: HistoryViewOptions): Record<string, unknown>[] {
  const scheduled = new Map<string, Scheduled>();
  const dropped = new Set<number>();
  const out: Record<string, unknown>[] = events.map((e) => ({ ...e }));

  const merge = (item: Record<string, unknown>, prefix: string) => {
    const match = scheduled.get(`${prefix}_${String(item.TaskScheduledId)}`);
    if (!match) return;
    item.ScheduledTime = match.timestamp;
    item.FunctionName = match.name;
    if (options.showInput) item.Input = match.input;
    dropped.add(match.index);
  };
  const showResult = (item: Record<string, unknown>, show: boolean) => {
    if (!show) delete item.Result;
    else item.Result = jsonOrText(item.Result);
  };

  out.forEach((item, i) => {
    const type = item.EventType as EventType;
    item.EventType = EventType[type];
    switch (type) {
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        scheduled.set(`${EventType[type]}_${String(item.EventId)}`, { index: i, name: item.Name, timestamp: item.Timestamp, input: item.Input });
        delete item.Version;
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
        merge(item, 'TaskScheduled');
        delete item.TaskScheduledId;
        showResult(item, options.showHistoryOutput && type === EventType.TaskCompleted);
        break;
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed:
        merge(item, 'SubOrchestrationInstanceCreated');
        delete item.TaskScheduledId;
        showResult(item, options.showHistoryOutput && type === EventType.SubOrchestrationInstanceCompleted);
        break;
      case EventType.ExecutionStarted: {
        const name = item.Name;
        delete item.Name;
        item.FunctionName = name;
        delete item.OrchestrationInstance;
        delete item.ParentInstance;
        delete item.Version;
        delete item.Tags;
        break;
      }
      case EventType.ExecutionCompleted:
        showResult(item, options.showHistoryOutput);
        break;
      case EventType.TimerFired:
        delete item.TimerId;
        break;
      case EventType.OrchestratorStarted:
      case EventType.OrchestratorCompleted:
        dropped.add(i);
        break;
    }
    if (!options.showInput) delete item.Input;
    delete item.EventId;
    delete item.IsPlayed;
  });
  return out.filter((_, i) => !dropped.has(i));
}

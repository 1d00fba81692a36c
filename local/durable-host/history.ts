import { REDACTED_FIELDS } from '../../src/logging/logger';

/**
 * History events in the Durable Task Framework's JSON shape (DTFx `History/*.cs`), which is what
 * durable-functions replays. Field names and numeric event types must match exactly: the library
 * reads `EventType`, `TaskScheduledId`, `TimerId`, `Result`, `Reason`, `Details`, `Name`, `Input`.
 */
export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  GenericEvent = 17,
  HistoryState = 18,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  /** ISO 8601 with a `Z`: durable-functions parses it with `new Date`, which reads local time otherwise */
  Timestamp: string;
  [field: string]: unknown;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function event(type: EventType, eventId: number, at: number, fields: Record<string, unknown> = {}): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: iso(at), ...fields };
}

/** The id a completion event refers to (`TaskScheduledId` or `TimerId`), if it has one. */
export function completionSeq(e: HistoryEvent): number | undefined {
  switch (e.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return e.TaskScheduledId as number;
    case EventType.TimerFired:
      return e.TimerId as number;
    default:
      return undefined;
  }
}

/** One line per event, for people: `#3  12:00:01.000Z  TaskCompleted  id=-1 taskScheduledId=2 result=…`. */
const REDACTED = new Set(REDACTED_FIELDS);

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, REDACTED.has(k) ? '[redacted]' : redactValue(v)]));
  }
  return value;
}

/** Inputs and results are JSON text that can hold PINs and UUIs: a dump shows them as the logs would. */
function redactJsonText(text: string): string {
  try {
    return JSON.stringify(redactValue(JSON.parse(text)));
  } catch {
    return text;
  }
}

export function formatHistory(events: readonly HistoryEvent[]): string {
  return events
    .map((e, i) => {
      const { EventType: type, EventId: id, IsPlayed: played, Timestamp: at, ...rest } = e;
      const details = Object.entries(rest)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => `${k}=${truncate(typeof v === 'string' ? redactJsonText(v) : JSON.stringify(redactValue(v)))}`)
        .join(' ');
      return `#${String(i).padEnd(3)} ${at}  ${EventType[type].padEnd(34)} id=${id}${played ? ' played' : ''} ${details}`.trimEnd();
    })
    .join('\n');
}

function truncate(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

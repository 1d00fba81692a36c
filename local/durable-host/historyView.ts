import { EventType, type HistoryEvent } from './history';

/**
 * History events as the management API's `showHistory` returns them: event types by name, and
 * inputs/results only when `showHistoryOutput` asks for them (they may be large or sensitive).
 */
export function formatHistoryEvents(events: readonly HistoryEvent[], showOutput: boolean): Record<string, unknown>[] {
  const hidden = new Set(['Input', 'Result', 'Details']);
  return events
    .filter((e) => e.EventType !== EventType.OrchestratorStarted && e.EventType !== EventType.OrchestratorCompleted)
    .map((e) => {
      const { EventType: type, IsPlayed: _played, ...rest } = e;
      const view: Record<string, unknown> = { EventType: EventType[type] };
      for (const [k, v] of Object.entries(rest)) if (showOutput || !hidden.has(k)) view[k] = v;
      return view;
    });
}

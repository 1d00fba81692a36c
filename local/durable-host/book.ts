import type { RetryOptionsJson } from './actions';
import type { HistoryEvent } from './history';

/**
 * The host's bookkeeping of one execution (stored as JSON on the instance row): every numbered
 * action in the order DF numbered it, and which sequence number each one waits on now.
 */

export type EntryKind = 'activity' | 'subOrchestration' | 'timer' | 'entityCall' | 'entitySignal';

/** One numbered action of the current execution, in the order DF numbered it. */
export interface Entry {
  kind: EntryKind;
  name: string;
  /** the sequence number the action got when first scheduled */
  seq: number;
  /** the number of the task this action waits on now (differs after hidden retry timers / timer segments) */
  current: number;
  /** an activity, sub-orchestration or timer not finished: keeps a returned orchestration Running */
  open: boolean;
  canceled?: boolean;
  input?: string | null;
  retry?: { options: RetryOptionsJson; failures: number; waitingOnTimer: boolean };
  finalFireAt?: number;
  childInstanceId?: string;
}

export interface Book {
  nextSeq: number;
  entries: Entry[];
  /** sequence number → entry index, hidden numbers included */
  bySeq: Record<string, number>;
}

export const EMPTY_BOOK = (): Book => ({ nextSeq: 0, entries: [], bySeq: {} });

/** What one episode changes, applied in a single transaction at its end. */
export interface Changes {
  events: HistoryEvent[];
  /** how many of `events` are the episode's start and inbound events (kept when the episode fails) */
  inboundCount: number;
  work: (() => void)[];
  /** transition log lines, written once the episode is committed */
  logs: (() => void)[];
}

/** Gives the entry at `index` the next sequence number. */
export function allocate(book: Book, index: number): number {
  const seq = book.nextSeq++;
  book.bySeq[String(seq)] = index;
  return seq;
}

export function entryOf(book: Book, seq: number): Entry | undefined {
  const index = book.bySeq[String(seq)];
  return index === undefined ? undefined : book.entries[index];
}

/** A blocking entry keeps an orchestration that returned Running (DTFx open tasks). */
export function hasOpenWork(book: Book): boolean {
  return book.entries.some((e) => e.open && !e.canceled && (e.kind === 'activity' || e.kind === 'subOrchestration' || e.kind === 'timer'));
}

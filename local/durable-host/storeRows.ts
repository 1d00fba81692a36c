import type { HistoryEvent } from './history';

/** The rows of the local host's SQLite tables, as the rest of the host sees them. */

export type RuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Terminated'
  | 'Canceled'
  | 'Suspended';

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

export interface InstanceRow {
  instanceId: string;
  name: string;
  executionId: string;
  status: RuntimeStatus;
  /** JSON text, or null */
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdAt: number;
  updatedAt: number;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
  parentSeq: number | null;
  /** the host's bookkeeping of the current execution (see book.ts), JSON */
  book: string;
}

export interface InboxMessage {
  id: number;
  instanceId: string;
  /** the execution a completion belongs to; null for events addressed to whatever runs */
  executionId: string | null;
  visibleAt: number;
  event: HistoryEvent;
}

export interface ActivityWork {
  id: number;
  instanceId: string;
  executionId: string;
  seq: number;
  name: string;
  /** JSON text or null */
  input: string | null;
}

export interface EntityMessage {
  id: number;
  entityId: string;
  visibleAt: number;
  operation: string;
  input: string | null;
  isSignal: boolean;
  requestId: string | null;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
}

export interface EntityRow {
  entityId: string;
  name: string;
  key: string;
  state: string | null;
  updatedAt: number;
}

export interface QueueMessageRow {
  id: number;
  queue: string;
  body: string;
  deliveryCount: number;
  visibleAt: number;
  enqueuedAt: number;
}

export interface InstanceQuery {
  createdFrom?: number;
  createdTo?: number;
  statuses?: RuntimeStatus[];
  prefix?: string;
  /** continue after this (createdAt, instanceId) */
  after?: { createdAt: number; instanceId: string };
  limit?: number;
}

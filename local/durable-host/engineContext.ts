import type { Logger } from '../../src/logging/logger';
import type { AppFunctions } from './functions';
import type { FunctionInvoker } from './invoke';
import type { HostStore } from './store';

export interface EngineOptions {
  /** DF splits timers longer than this into segments (Azure Storage: 6 days) */
  maximumShortTimerMs: number;
  /** segment length of a split timer (Azure Storage: 3 days) */
  longRunningTimerIntervalMs: number;
  taskHubName: string;
}

export interface Clock {
  now(): number;
}

/** What every part of the engine shares: the store, the captured functions, the clock. */
export interface EngineContext {
  readonly store: HostStore;
  readonly functions: AppFunctions;
  readonly invoker: FunctionInvoker;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: EngineOptions;
}

/** A start for an id whose instance is still running (the API answers 409). */
export class ConflictError extends Error {}

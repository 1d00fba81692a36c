import type { EntryKind } from './book';

/** The orchestrator's answer to an episode, as durable-functions returns it (§2 of the protocol). */

/** DF action types (durable-functions `ActionType`). */
export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

export interface Action {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptionsJson;
  instanceId?: string;
  version?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  operation?: string;
  compoundActions?: Action[];
}

export interface RetryOptionsJson {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export const KIND_TEXT: Record<EntryKind, string> = {
  activity: 'an activity task',
  subOrchestration: 'a sub-orchestration',
  timer: 'a durable timer',
  entityCall: 'an entity call',
  entitySignal: 'an entity signal',
};

/** The kind and name DTFx compares on replay to detect nondeterminism. */
export function describe(action: Action): { kind: EntryKind; name: string } {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return { kind: 'activity', name: String(action.functionName) };
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return { kind: 'subOrchestration', name: String(action.functionName) };
    case ActionType.CreateTimer:
      return { kind: 'timer', name: '' };
    case ActionType.CallEntity:
      return { kind: 'entityCall', name: `${action.operation}@${action.instanceId}` };
    case ActionType.SignalEntity:
      return { kind: 'entitySignal', name: `${action.operation}@${action.instanceId}` };
    default:
      return { kind: 'activity', name: `unsupported action ${action.actionType}` };
  }
}

/** Depth first, as DF numbers children of Task.all / Task.any (one number per entry, as the extension replays them). */
export function flatten(actions: Action[][] | undefined): Action[] {
  const out: Action[] = [];
  const walk = (a: Action) => {
    if (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny) (a.compoundActions ?? []).forEach(walk);
    else out.push(a);
  };
  for (const group of actions ?? []) for (const a of group) walk(a);
  return out;
}

/** Activity and continue-as-new inputs went through DF's processInput, which stringifies strings only. */
export function jsonOfProcessedInput(input: unknown): string | null {
  if (input === undefined) return null;
  return typeof input === 'string' ? input : JSON.stringify(input);
}

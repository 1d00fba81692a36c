import type { EntityOperation, EntitySpec, OrchestrationSpec } from './durableSpec';
import type { PublishOutcome, SessionEvent } from './sessionEvents';

/**
 * The ports adapters and handlers share. They import nothing of the app but the contracts, so
 * an adapter can take a durable client or a publisher without knowing HTTP, orchestrators or
 * entities. src/functions implements DurableControl over the durable-functions client.
 */

/** What code outside orchestrations may ask of the durable runtime; typed by the durable table. */
export interface DurableControl {
  startNew<I, O>(orchestration: OrchestrationSpec<I, O>, instanceId: string, input: NoInfer<I>): Promise<void>;
  /** one management call; rejects with InstanceNotRunningError when the instance is unknown (404) or finished (410) */
  raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void>;
  getStatus(instanceId: string): Promise<InstanceStatus | undefined>;
  /** instances created in the span (all pages), optionally only those in the given runtime states */
  listInstances(filter: { createdFrom?: Date; createdTo?: Date; runtimeStatus?: string[] }): Promise<InstanceStatus[]>;
  terminate(instanceId: string, reason: string): Promise<void>;
  /** deletes a finished instance and its history: the count deleted (0: none such); a running one is refused (the extension's 412) */
  purge(instanceId: string): Promise<number>;
  /** deletes the finished (Completed, Failed, Terminated) orchestrations created in the span: the count deleted */
  purgeFinished(filter: { createdFrom: Date; createdTo: Date }): Promise<number>;
  signalEntity<S, Ops extends Record<string, EntityOperation>, K extends keyof Ops & string>(
    entity: EntitySpec<S, Ops>,
    key: string,
    operation: K,
    ...input: Ops[K]['input'] extends undefined ? [] : [Ops[K]['input']]
  ): Promise<void>;
  readEntityState<S, Ops extends Record<string, EntityOperation>>(entity: EntitySpec<S, Ops>, key: string): Promise<S | undefined>;
}

/**
 * raiseEvent's refusal: the runtime answered 404 (no such instance) or 410 (it has finished).
 * The publisher maps it to its outcome, so a raise needs no status read before it.
 */
export class InstanceNotRunningError extends Error {
  constructor(
    readonly instanceId: string,
    readonly reason: 'not_found' | 'finished',
  ) {
    super(reason === 'not_found' ? 'no such instance' : 'the instance has finished');
  }
}

export interface InstanceStatus {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

/** What every trigger's handler gets besides its input. */
export interface RequestContext {
  invocationId: string;
  /** present when the function has a durable client binding */
  durable: DurableControl | undefined;
}

/**
 * The one way adapters hand events to call sessions (the instance id of a callSession is its
 * room name). Implementations answer once the event is durably accepted, never after the
 * orchestration has run.
 */
export interface SessionEventPublisher {
  publish(event: SessionEvent): Promise<PublishOutcome>;
}

/** What a citizen token (the join link's) proved, or why it proves nothing. */
export type CitizenTokenCheck =
  | { ok: true; sessionId: string; issuedAt: Date }
  /** 401 expired: `exp` has passed; 401 invalid: no token, forged, malformed, wrong key; 403: a genuine token for something else */
  | { ok: false; status: 401 | 403; reason: 'expired' | 'invalid' | 'wrong_scope' };

/**
 * The citizen's proof of one session: a short-lived signed token, minted into the join link and
 * accepted only by the citizen routes. It carries the session id and nothing about the citizen.
 */
export interface CitizenTokens {
  /** a token for the session, valid until `expiresAt`; `issuedAt` defaults to now */
  mint(sessionId: string, expiresAt: Date, issuedAt?: Date): Promise<string>;
  /** checks `Authorization: Bearer <token>` */
  verify(authorization: string | undefined): Promise<CitizenTokenCheck>;
}

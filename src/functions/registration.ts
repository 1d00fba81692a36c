import type { EntityContext, OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { parseActivityInput, type ActivitySpec, type EntityOperation, type EntitySpec, type OrchestrationSpec } from '../contracts/durableSpec';
import type { RequestContext } from '../contracts/ports';
import type { ApiHandler } from '../http/types';

/**
 * Every function MaxConf runs, described once as data: register.ts hands the list to the Azure
 * Functions programming model; the local host loads that same entry, so both runtimes serve
 * exactly these functions. Durable entries are made only through the typed helpers below, which
 * pair an entry of the durable table (src/contracts/durable.ts) with an implementation whose
 * types match it.
 */
export type Registration =
  | HttpRegistration
  | TimerRegistration
  | ServiceBusQueueRegistration
  | OrchestrationRegistration
  | ActivityRegistration
  | EntityRegistration;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRegistration {
  kind: 'http';
  name: string;
  route: string;
  methods: HttpMethod[];
  /** handlers that start, signal or read durable instances get a durable client binding */
  durableClient: boolean;
  handler: ApiHandler;
}

export interface TimerRegistration {
  kind: 'timer';
  name: string;
  /** NCRONTAB, six fields */
  schedule: string;
  durableClient: boolean;
  /** `firedAt`: when the runtime fired it (its schedule status), if it says */
  handler: (context: RequestContext, firedAt?: Date) => Promise<void>;
}

export interface ServiceBusQueueRegistration {
  kind: 'serviceBusQueue';
  name: string;
  /** app-setting prefix of the identity-based connection (`<connection>__fullyQualifiedNamespace`) */
  connection: string;
  queueName: string;
  durableClient: boolean;
  handler: (message: unknown, context: RequestContext) => Promise<void>;
}

export interface OrchestrationRegistration {
  kind: 'orchestration';
  name: string;
  handler: OrchestrationHandler;
}

export interface ActivityRegistration {
  kind: 'activity';
  name: string;
  /** takes the input as it comes out of history and checks it against the table entry */
  handler: (input: unknown) => Promise<unknown>;
}

export interface EntityRegistration {
  kind: 'entity';
  name: string;
  /**
   * `never` erases the state type for the list (an `EntityHandler<S>` of any S fits: the context
   * is only read by it); `df.app.entity` takes it as it is.
   */
  handler: (context: EntityContext<never>) => void;
}

/** An orchestration of the table with its generator; the generator's return type must be the entry's output. */
export function orchestrationRegistration<I, O>(
  orchestration: OrchestrationSpec<I, O>,
  handler: (context: OrchestrationContext) => Generator<Task, NoInfer<O>, unknown>,
): OrchestrationRegistration {
  return { kind: 'orchestration', name: orchestration.name, handler };
}

/** An activity of the table with its implementation; the input is parsed with the entry's schema first. */
export function activityRegistration<I, O>(activity: ActivitySpec<I, O>, implementation: (input: I) => Promise<NoInfer<O>>): ActivityRegistration {
  return { kind: 'activity', name: activity.name, handler: (input: unknown) => implementation(parseActivityInput(activity, input)) };
}

/** An entity of the table with its handler over the entry's state type. */
export function entityRegistration<S, Ops extends Record<string, EntityOperation>>(
  entity: EntitySpec<S, Ops>,
  handler: (context: EntityContext<NoInfer<S>>) => void,
): EntityRegistration {
  return { kind: 'entity', name: entity.name, handler };
}

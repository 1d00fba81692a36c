import * as df from 'durable-functions';
import type { OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import { trusted, type ActivitySpec, type EntityOperation, type EntitySpec, type OrchestrationSpec } from './durableSpec';

/**
 * Typed calls for orchestrator code, over the table in src/contracts/durable.ts (the feel of
 * Temporal's `proxyActivities<typeof activities>`): `const r = yield* callActivity(context,
 * ACTIVITIES.dialQueue, input)` checks `input` against the entry and gives `r` the entry's output
 * type. Each helper yields exactly the task durable-functions would, so replay is unchanged.
 */

export function inputOf<I, O>(context: OrchestrationContext, _orchestration: OrchestrationSpec<I, O>): I {
  return context.df.getInput<I>();
}

export function* callActivity<I, O>(
  context: OrchestrationContext,
  activity: ActivitySpec<I, O>,
  input: NoInfer<I>,
  retry?: RetryOptions,
): Generator<Task, O, unknown> {
  const task = retry ? context.df.callActivityWithRetry(activity.name, retry, input) : context.df.callActivity(activity.name, input);
  return trusted<O>(yield task);
}

/** Several calls of one activity at once (`Task.all`); results in the order of `inputs`. No task for none. */
export function* callActivities<I, O>(context: OrchestrationContext, activity: ActivitySpec<I, O>, inputs: NoInfer<I>[]): Generator<Task, O[], unknown> {
  if (inputs.length === 0) return [];
  return trusted<O[]>(yield context.df.Task.all(inputs.map((input) => context.df.callActivity(activity.name, input))));
}

/** A scheduled activity to race against a timer (`Task.any`); `output()` once it has won. */
export interface PendingActivity<O> {
  task: Task;
  output(): O;
}

export function startActivity<I, O>(context: OrchestrationContext, activity: ActivitySpec<I, O>, input: NoInfer<I>): PendingActivity<O> {
  const task = context.df.callActivity(activity.name, input);
  return { task, output: () => trusted<O>(task.result) };
}

/** Calls an entity operation and waits for its answer; operations that take nothing are called without an input. */
export function* callEntity<S, Ops extends Record<string, EntityOperation>, K extends keyof Ops & string>(
  context: OrchestrationContext,
  entity: EntitySpec<S, Ops>,
  key: string,
  operation: K,
  ...input: Ops[K]['input'] extends undefined ? [] : [Ops[K]['input']]
): Generator<Task, Ops[K]['output'], unknown> {
  const id = new df.EntityId(entity.name, key);
  const task = input.length ? context.df.callEntity(id, operation, input[0]) : context.df.callEntity(id, operation);
  return trusted<Ops[K]['output']>(yield task);
}

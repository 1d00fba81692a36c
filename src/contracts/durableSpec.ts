import type { z } from 'zod';

/**
 * The shapes of the typed durable table (src/contracts/durable.ts): each orchestration, activity
 * and entity is one value that carries its name and, as types, its input and output. Registration
 * (src/functions), the orchestrators' calls (src/contracts/durableCalls.ts) and the durable client
 * port (src/contracts/ports.ts) all take these values instead of name strings, so a wrong input is
 * a compile error and a result needs no cast.
 *
 * `output` (and an entity's `state` and `operations`) exist only as types: they are never set.
 */
export interface OrchestrationSpec<I = unknown, O = unknown> {
  readonly kind: 'orchestration';
  readonly name: string;
  readonly input?: I;
  readonly output?: O;
}

export interface ActivitySpec<I = unknown, O = unknown> {
  readonly kind: 'activity';
  readonly name: string;
  /** checked when the activity runs: its input comes out of history, so it is `unknown` until then */
  readonly schema: z.ZodType<I>;
  readonly output?: O;
}

/** An entity operation: what it takes, what it answers. */
export interface EntityOperation<I = unknown, O = unknown> {
  input: I;
  output: O;
}

export interface EntitySpec<S = unknown, Ops extends Record<string, EntityOperation> = Record<string, EntityOperation>> {
  readonly kind: 'entity';
  readonly name: string;
  readonly state?: S;
  readonly operations?: Ops;
}

export function orchestration<I, O>(name: string): OrchestrationSpec<I, O> {
  return { kind: 'orchestration', name };
}

export function activity<I, O>(name: string, schema: z.ZodType<I>): ActivitySpec<I, O> {
  return { kind: 'activity', name, schema };
}

export function entity<S, Ops extends Record<string, EntityOperation>>(name: string): EntitySpec<S, Ops> {
  return { kind: 'entity', name };
}

/**
 * The one narrowing of the durable table. durable-functions hands a finished task's result, an
 * entity's answer and an instance's output back as `unknown` (a generator's `yield` is `unknown`,
 * and the value has been through JSON). What comes back is exactly what the function registered
 * under that table entry returned, and registration (src/functions) only accepts an
 * implementation whose return type is that entry's output type, so the compiler has checked the
 * other end. This is where that fact is stated once; nothing else in durable code narrows a
 * durable result.
 */
export function trusted<T>(value: unknown): T {
  return value as T;
}

/** The output of a completed instance of `spec` (its runtime status must be `Completed`). */
export function outputOf<I, O>(_orchestration: OrchestrationSpec<I, O>, status: { output: unknown }): O {
  return trusted<O>(status.output);
}

/** An activity's input out of history, checked against its entry; a bad one fails the activity (a programming error, never retried forever). */
export function parseActivityInput<I, O>(activity: ActivitySpec<I, O>, raw: unknown): I {
  const parsed = activity.schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${activity.name}: invalid input: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

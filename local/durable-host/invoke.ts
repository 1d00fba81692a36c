import { randomUUID } from 'node:crypto';
import type { FunctionsCoreStandIn } from '../functions-core/coreApi';
import type { CapturedFunction, CoreBinding } from '../functions-core/types';
import type { Logger } from '../../src/logging/logger';

/** RPC typed data as the worker hands it to @azure/functions (`{string}`, `{json}`, `{http}`, …). */
export type TypedData = Record<string, unknown>;

export interface InvocationResult {
  returnValue: TypedData | null | undefined;
}

export function triggerBinding(fn: CapturedFunction): [string, CoreBinding] {
  const found = Object.entries(fn.metadata.bindings).find(([, b]) => b.direction === 'in' && b.type.endsWith('Trigger'));
  if (!found) throw new Error(`Function '${fn.metadata.name}' has no trigger binding`);
  return found;
}

export function durableClientBindingName(fn: CapturedFunction): string | undefined {
  return Object.entries(fn.metadata.bindings).find(
    ([, b]) => b.direction === 'in' && (b.type === 'durableClient' || b.type === 'orchestrationClient'),
  )?.[0];
}

/**
 * Invokes a captured function the way the Functions worker does ("Path A": the programming
 * model's InvocationModel converts the typed data, runs the hooks and converts the result), so
 * the library's own conversions apply exactly as on Azure.
 */
export class FunctionInvoker {
  constructor(
    private readonly core: FunctionsCoreStandIn,
    private readonly logger: Logger,
  ) {}

  async invoke(
    fn: CapturedFunction,
    inputData: { name: string; data: TypedData | undefined }[],
    triggerMetadata: Record<string, TypedData> = {},
  ): Promise<InvocationResult> {
    const model = this.core.programmingModel();
    if (!model) throw new Error('The app registered no functions: no programming model was set');
    const invocationId = randomUUID();
    const logger = this.logger;
    const name = fn.metadata.name;
    // a child logger per invocation only when the function logs (most never do)
    let log: Logger | undefined;
    const coreCtx = {
      invocationId,
      request: { invocationId, functionId: name, inputData, triggerMetadata },
      metadata: { name, bindings: fn.metadata.bindings },
      state: undefined as string | undefined,
      log(level: string, category: string, message: string) {
        const method = level === 'error' || level === 'critical' ? 'error' : level === 'warning' ? 'warn' : level === 'information' ? 'info' : 'debug';
        log ??= logger.child({ function: name, invocationId });
        log[method]({ category }, message);
      },
    };
    const invocation = await model.getInvocationModel(coreCtx);
    const { context, inputs } = await invocation.getArguments();
    const hookData: Record<string, unknown> = {};
    const pre = { hookData, invocationContext: context, functionCallback: fn.callback, inputs };
    coreCtx.state = 'preInvocationHooks';
    for (const hook of this.core.hooks.get('preInvocation') ?? []) await hook(pre);
    coreCtx.state = undefined;
    const post = { hookData, invocationContext: context, inputs: pre.inputs, result: null as unknown, error: null as unknown };
    coreCtx.state = 'invocation';
    try {
      post.result = await invocation.invokeFunction(context, pre.inputs, pre.functionCallback);
    } catch (error) {
      post.error = error;
    }
    coreCtx.state = 'postInvocationHooks';
    for (const hook of this.core.hooks.get('postInvocation') ?? []) await hook(post);
    coreCtx.state = undefined;
    if (post.error) throw post.error;
    return (await invocation.getResponse(context, post.result)) as InvocationResult;
  }
}

/** The value a typed-data return carries (`{json}`, `{string}`, numbers). */
export function fromTypedData(data: TypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (typeof data.json === 'string') return JSON.parse(data.json);
  if (typeof data.string === 'string') {
    try {
      return JSON.parse(data.string);
    } catch {
      return data.string;
    }
  }
  if (data.int !== undefined) return Number(data.int);
  if (data.double !== undefined) return Number(data.double);
  if (data.bytes !== undefined) return Buffer.from(data.bytes as Uint8Array).toString('utf8');
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

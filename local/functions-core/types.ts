/**
 * The slice of the worker-provided `@azure/functions-core` module that @azure/functions v4 and
 * durable-functions v3 use (nodejs-library types-core/index.d.ts). The package is not published
 * on npm: the Functions worker injects it at run time, and so does the local host.
 */
export interface CoreBinding {
  type: string;
  direction: 'in' | 'out' | 'inout';
  name?: string;
  [option: string]: unknown;
}

export interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, CoreBinding>;
  retryOptions?: unknown;
}

export type CoreFunctionCallback = (...args: unknown[]) => unknown;

export interface CoreInvocationContext {
  invocationId: string;
  request: {
    invocationId: string;
    functionId: string;
    inputData: { name: string; data: unknown }[];
    triggerMetadata: Record<string, unknown>;
  };
  metadata: { name: string; bindings: Record<string, CoreBinding> };
  log(level: string, category: string, message: string): void;
}

export interface CoreInvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: CoreFunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{ returnValue?: unknown; outputData?: unknown[] }>;
}

export interface CoreProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(context: CoreInvocationContext): CoreInvocationModel;
}

export interface CapturedFunction {
  metadata: CoreFunctionMetadata;
  callback: CoreFunctionCallback;
}

export type CoreHookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';

import type {
  CapturedFunction,
  CoreFunctionCallback,
  CoreFunctionMetadata,
  CoreHookName,
  CoreProgrammingModel,
} from './types';

export interface FunctionsCoreStandIn {
  /** the object `require('@azure/functions-core')` must return */
  readonly module: Record<string, unknown>;
  readonly functions: ReadonlyMap<string, CapturedFunction>;
  readonly hooks: ReadonlyMap<CoreHookName, ((...args: unknown[]) => unknown)[]>;
  programmingModel(): CoreProgrammingModel | undefined;
}

export interface StandInOptions {
  /** where `coreApi.log` goes (the library logs warnings and user log calls through it) */
  log?: (level: string, category: string, message: string) => void;
  hostVersion?: string;
}

/**
 * Builds a stand-in for the worker's core module that records every registration the way the
 * worker receives it, so a runtime (the local host, or a test) can invoke the captured callbacks.
 */
export function createFunctionsCore(options: StandInOptions = {}): FunctionsCoreStandIn {
  const functions = new Map<string, CapturedFunction>();
  const hooks = new Map<CoreHookName, ((...args: unknown[]) => unknown)[]>();
  let programmingModel: CoreProgrammingModel | undefined;

  const disposable = (dispose: () => void) => ({ dispose });

  const module: Record<string, unknown> = {
    version: '3.12.0-maxconf-local',
    hostVersion: options.hostVersion ?? '4.1040.0-maxconf-local',
    registerFunction(metadata: CoreFunctionMetadata, callback: CoreFunctionCallback) {
      if (functions.has(metadata.name)) {
        throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
      }
      functions.set(metadata.name, { metadata, callback });
      return disposable(() => functions.delete(metadata.name));
    },
    setProgrammingModel(model: CoreProgrammingModel) {
      programmingModel = model;
    },
    getProgrammingModel() {
      return programmingModel;
    },
    registerHook(name: CoreHookName, callback: (...args: unknown[]) => unknown) {
      const list = hooks.get(name) ?? [];
      list.push(callback);
      hooks.set(name, list);
      return disposable(() => {
        const at = list.indexOf(callback);
        if (at >= 0) list.splice(at, 1);
      });
    },
    log(level: string, category: string, message: string) {
      options.log?.(level, category, message);
    },
    Disposable: class {
      constructor(private readonly callOnDispose: () => void) {}
      dispose() {
        this.callOnDispose();
      }
    },
  };

  return { module, functions, hooks, programmingModel: () => programmingModel };
}

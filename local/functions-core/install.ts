import Module from 'node:module';
import type { FunctionsCoreStandIn } from './coreApi';

export const CORE_MODULE_ID = '@azure/functions-core';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/**
 * Makes `require('@azure/functions-core')` return the stand-in, as the Functions worker does by
 * proxying require. It must run before @azure/functions is first required: the library caches
 * the result of its first attempt, failure included. Returns a function that undoes it.
 */
export function installFunctionsCore(standIn: FunctionsCoreStandIn): () => void {
  const moduleWithLoad = Module as unknown as { _load: Loader };
  const original = moduleWithLoad._load;
  moduleWithLoad._load = function load(request, parent, isMain) {
    if (request === CORE_MODULE_ID) return standIn.module;
    return original.call(this, request, parent, isMain);
  };
  return () => {
    moduleWithLoad._load = original;
  };
}

import { PexipError } from '../adapters/pexip';
import type { Logger } from '../logging/logger';
import { problem, type ApiHandler, type ApiResponse } from './types';

/** What a caller is told when Pexip refuses or fails an operation a route depends on. */
export function pexipProblem(error: PexipError): ApiResponse {
  switch (error.code) {
    case 'persistent_room':
      return problem(409, 'persistent-room', 'Persistent rooms are never changed by MaxConf');
    case 'not_owned':
      return problem(409, 'room-not-owned', 'This room is not one this deployment manages');
    case 'not_found':
      return problem(404, 'room-not-found', 'No room has this name');
    default: {
      if (!error.retryable) return problem(502, 'pexip-error', 'Pexip refused the operation');
      const response = problem(503, 'pexip-unavailable', 'Pexip is not answering right now; try again shortly');
      return { ...response, headers: { ...response.headers, 'retry-after': String(error.retryAfterSeconds ?? 30) } };
    }
  }
}

/**
 * Every route's last line of defence: a vendor failure becomes the problem a caller can act on, and
 * anything unexpected a 500 problem (logged with the route, never with the request's data)
 * instead of the host's empty 500.
 */
export function withErrorBoundary(route: string, handler: ApiHandler, logger: Logger): ApiHandler {
  const log = logger.child({ route });
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof PexipError) {
        log.warn({ code: error.code, status: error.status, err: error.message }, 'Pexip failed a request');
        return pexipProblem(error);
      }
      log.error({ err: error instanceof Error ? error.message : String(error), invocationId: context.invocationId }, 'request failed');
      return problem(500, 'internal-error', 'MaxConf could not complete the request', `invocation ${context.invocationId}`);
    }
  };
}

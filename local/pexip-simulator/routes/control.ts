import { z } from 'zod';
import { HttpError, parseJson, type RouteResult } from '../http';
import type { PexipModel } from '../model';
import type { RateLimit } from '../rateLimit';
import type { SimFaults } from '../types';

/** What the simulator-only routes (`/_sim/…`) can change and show; not part of Pexip's API. */
export interface ControlContext {
  model: PexipModel;
  setFaults(faults: SimFaults): void;
  setRateLimit(limit: RateLimit | undefined): void;
  /** a room's participants and the media each sent (undefined when no such conference runs) */
  inspectRoom(alias: string): unknown;
}

const probability = z.number().min(0).max(1);
const ms = z.number().int().min(0).max(3_600_000);
const families = z.object({ configuration: probability, command: probability, status: probability, token: probability, client: probability }).partial().strict();
const faultsBody = z
  .object({
    latencyMs: ms,
    errorRate: families,
    sink: z.object({ drop: probability, duplicate: probability, reorder: probability, delayMs: ms }).partial().strict(),
  })
  .partial()
  .strict();
const rateLimitBody = z.object({ requests: z.number().int().positive(), perSeconds: z.number().positive() }).strict().nullable();
const propagationBody = z.object({ propagationDelayMs: ms }).strict();

function parsed<T>(schema: z.ZodType<T>, body: string): T {
  const result = schema.safeParse(body.trim() === 'null' ? null : parseJson(body));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new HttpError(400, { error: `${issue.path.join('.') || 'body'}: ${issue.message}` });
  }
  return result.data;
}

/**
 * `PUT /_sim/faults` (the fault knobs, replacing the current ones), `PUT /_sim/rate_limit`
 * (`{requests, perSeconds}` or `null`), `PUT /_sim/propagation`, `GET /_sim/rooms/{alias}`.
 * The load and chaos commands use these on a running vendors process.
 */
export function controlRoute(ctx: ControlContext, method: string, path: string, body: string): RouteResult {
  if (path === '/_sim/faults' && method === 'PUT') {
    ctx.setFaults(parsed(faultsBody, body) as SimFaults);
    return [204, ''];
  }
  if (path === '/_sim/rate_limit' && method === 'PUT') {
    const limit = parsed(rateLimitBody, body);
    ctx.setRateLimit(limit ? { requests: limit.requests, perMs: Math.round(limit.perSeconds * 1000) } : undefined);
    return [204, ''];
  }
  if (path === '/_sim/propagation' && method === 'PUT') {
    ctx.model.options.propagationDelayMs = parsed(propagationBody, body).propagationDelayMs;
    return [204, ''];
  }
  const room = /^\/_sim\/rooms\/([^/]+)$/.exec(path);
  if (room && method === 'GET') {
    const view = ctx.inspectRoom(decodeURIComponent(room[1]!));
    return view === undefined ? [404, { error: 'no such conference is running' }] : [200, view];
  }
  return [404, { error: 'not found' }];
}

import { badRequest } from '../http/errors';
import { jsonObject } from '../http/body';
import type { Route } from '../http/router';
import type { GenesysModel } from '../model';
import type { SimulatorState } from '../state';

/** `POST /api/v2/analytics/conversations/details/query`: the subset MaxConf's queue position and search use. */
export function analyticsRoutes(s: SimulatorState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/api\/v2\/analytics\/conversations\/details\/query$/,
      endpoint: 'analytics',
      handle: ({ body }) => ({ status: 200, body: analyticsQuery(s.model, jsonObject(body)) }),
    },
  ];
}

function analyticsQuery(model: GenesysModel, q: Record<string, unknown>) {
  const interval = typeof q.interval === 'string' ? q.interval.split('/') : [];
  const from = Date.parse(interval[0] ?? '');
  const to = Date.parse(interval[1] ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw badRequest('interval is required');
  const predicates = (filters: unknown) =>
    (Array.isArray(filters) ? filters : []).flatMap((f) => (Array.isArray((f as { predicates?: unknown }).predicates) ? (f as { predicates: Record<string, string>[] }).predicates : []));
  const conv = predicates(q.conversationFilters);
  const seg = predicates(q.segmentFilters);
  const openOnly = conv.some((p) => p.dimension === 'conversationEnd' && p.operator === 'notExists');
  const queueId = seg.find((p) => p.dimension === 'queueId')?.value;
  const purpose = seg.find((p) => p.dimension === 'purpose')?.value;
  const paging = (q.paging ?? { pageSize: 25, pageNumber: 1 }) as { pageSize: number; pageNumber: number };
  const matching = [...model.conversations.values()]
    .filter((c) => c.startTime <= to && (c.endTime ?? Infinity) >= from)
    .filter((c) => !openOnly || !c.endTime)
    .filter((c) => c.participants.some((p) => (!queueId || p.queueId === queueId) && (!purpose || p.purpose === purpose)))
    .sort((a, b) => (q.order === 'desc' ? b.startTime - a.startTime : a.startTime - b.startTime));
  const size = Math.min(100, paging.pageSize || 25);
  const page = matching.slice((Math.max(1, paging.pageNumber) - 1) * size, Math.max(1, paging.pageNumber) * size);
  return { conversations: page.map((c) => model.analyticsView(c)), totalHits: matching.length };
}

import { badRequest } from '../http/errors';
import { jsonObject } from '../http/body';
import type { Route } from '../http/router';
import type { GenesysModel } from '../model';
import { waitingObservationView } from '../model/views';
import type { SimulatorState } from '../state';

/**
 * How many `oWaiting` detail observations one result carries before Genesys sets `truncated`
 * (a bound exists per the API's `truncated` flag; its exact value here is the simulator's choice).
 */
export const OBSERVATION_DETAIL_LIMIT = 100;

/**
 * `POST /api/v2/analytics/conversations/details/query`: the subset MaxConf's queue position and
 * search use; `POST /api/v2/analytics/queues/observations/query`: `oWaiting` (count and details)
 * per queue, what the queue observer reads.
 */
export function analyticsRoutes(s: SimulatorState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/api\/v2\/analytics\/conversations\/details\/query$/,
      endpoint: 'analytics',
      handle: ({ body }) => ({ status: 200, body: analyticsQuery(s.model, jsonObject(body)) }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/v2\/analytics\/queues\/observations\/query$/,
      endpoint: 'analytics',
      handle: ({ body }) => ({ status: 200, body: observationsQuery(s, jsonObject(body)) }),
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

/** The queues named by `queueId` predicates (in the filter or its clauses), each with its waiting calls. */
function observationsQuery(s: SimulatorState, q: Record<string, unknown>) {
  const filter = (q.filter ?? {}) as { predicates?: unknown; clauses?: unknown };
  const clauses = Array.isArray(filter.clauses) ? (filter.clauses as { predicates?: unknown }[]) : [];
  const predicates = [filter.predicates, ...clauses.map((c) => c.predicates)].flatMap((p) => (Array.isArray(p) ? (p as Record<string, unknown>[]) : []));
  const queueIds = predicates.filter((p) => p.dimension === 'queueId' && typeof p.value === 'string').map((p) => p.value as string);
  if (queueIds.length === 0) throw badRequest('filter must name at least one queueId');
  const metrics = Array.isArray(q.metrics) ? q.metrics : [];
  const details = Array.isArray(q.detailMetrics) ? q.detailMetrics : [];
  if (!metrics.includes('oWaiting') && !details.includes('oWaiting')) throw badRequest('metrics must include oWaiting');
  return {
    results: queueIds.map((queueId) => {
      const waiting = s.model.waitingIn(queueId);
      const listed = details.includes('oWaiting') ? waiting.slice(0, OBSERVATION_DETAIL_LIMIT) : undefined;
      return {
        group: { queueId, mediaType: 'voice' },
        data: [
          {
            metric: 'oWaiting',
            stats: { count: waiting.length },
            ...(listed ? { truncated: waiting.length > listed.length, observations: listed.map(waitingObservationView) } : {}),
          },
        ],
      };
    }),
  };
}

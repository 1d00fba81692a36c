import { notFound } from '../http/errors';
import type { Route } from '../http/router';
import type { SimulatorState } from '../state';

/** Queues: the partial name search MaxConf resolves its queue with, and the estimated wait. */
export function routingRoutes(s: SimulatorState): Route[] {
  const { model, queues } = s;
  return [
    {
      method: 'GET',
      pattern: /^\/api\/v2\/routing\/queues$/,
      endpoint: 'queues',
      handle: ({ url }) => {
        const name = (url.searchParams.get('name') ?? '').replace(/^\*+|\*+$/g, '').toLowerCase();
        const pageSize = Math.min(500, Number(url.searchParams.get('pageSize') ?? 25) || 25);
        const pageNumber = Math.max(1, Number(url.searchParams.get('pageNumber') ?? 1) || 1);
        // Genesys's name filter is a partial match; MaxConf must pick the exact name itself.
        const all = queues.filter((q) => q.name.toLowerCase().startsWith(name)).sort((a, b) => b.name.localeCompare(a.name));
        const entities = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((q) => ({
          id: q.id,
          name: q.name,
          division: { id: q.divisionId, selfUri: `/api/v2/authorization/divisions/${q.divisionId}` },
          memberCount: model.agents.size,
          selfUri: `/api/v2/routing/queues/${q.id}`,
        }));
        const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
        return {
          status: 200,
          body: { entities, pageSize, pageNumber, total: all.length, pageCount, selfUri: `/api/v2/routing/queues?pageSize=${pageSize}&pageNumber=${pageNumber}` },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/routing\/queues\/([^/]+)\/estimatedwaittime$/,
      endpoint: 'estimatedWait',
      handle: ({ match, url }) => {
        const queue = queues.find((q) => q.id === match[1]);
        if (!queue) throw notFound('Queue not found');
        const conversationId = url.searchParams.get('conversationId') ?? undefined;
        if (conversationId && !model.conversations.has(conversationId)) throw notFound(`The conversation ${conversationId} was not found.`);
        return {
          status: 200,
          body: { results: [{ intent: 'ESTIMATED_WAIT_TIME', formula: 'BEST', estimatedWaitTimeSeconds: model.estimatedWaitSeconds(queue.id, conversationId) }] },
        };
      },
    },
  ];
}

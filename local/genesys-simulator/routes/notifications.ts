import { z } from 'zod';
import { jsonValue } from '../http/body';
import { badRequest, notFound } from '../http/errors';
import { authOf, type RequestContext, type Route } from '../http/router';
import type { Channel } from '../notifications/channels';
import { TopicRejected } from '../notifications/hub';
import type { SimulatorState } from '../state';

/** `Array<ChannelTopic>`: the SDK sends `[{id: topic}]`. */
const Topics = z.array(z.object({ id: z.string().min(1).max(500) })).max(1000);

/** The notifications API: channels (`connectUri` for the WebSocket) and their topic subscriptions. */
export function notificationRoutes(s: SimulatorState): Route[] {
  const { hub } = s;
  const channelOf = (ctx: RequestContext): Channel => {
    const channel = hub.find(ctx.match[1]!, authOf(ctx).record);
    if (!channel) throw notFound(`The channel ${ctx.match[1]} was not found.`);
    return channel;
  };
  const listing = (topics: Iterable<string>) => ({ entities: [...topics].map((id) => ({ id, state: 'Permitted' })) });
  const change = (mode: 'replace' | 'add') => (ctx: RequestContext) => {
    const channel = channelOf(ctx);
    const parsed = Topics.safeParse(jsonValue(ctx.body) ?? []);
    if (!parsed.success) throw badRequest(`body${parsed.error.issues[0]?.path.map((p) => `[${String(p)}]`).join('') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    try {
      return { status: 200, body: listing(hub.subscribe(channel, parsed.data.map((t) => t.id), mode)) };
    } catch (error) {
      if (error instanceof TopicRejected) throw badRequest(error.message);
      throw error;
    }
  };
  return [
    {
      method: 'POST',
      pattern: /^\/api\/v2\/notifications\/channels$/,
      endpoint: 'notifications',
      handle: (ctx) => ({ status: 200, body: hub.describe(hub.create(authOf(ctx).record)) }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/notifications\/channels$/,
      endpoint: 'notifications',
      handle: (ctx) => ({ status: 200, body: { entities: hub.list(authOf(ctx).record).map((c) => hub.describe(c)) } }),
    },
    {
      method: 'HEAD',
      pattern: /^\/api\/v2\/notifications\/channels\/([^/]+)$/,
      endpoint: 'notifications',
      handle: (ctx) => (channelOf(ctx), { status: 200 }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/,
      endpoint: 'notifications',
      handle: (ctx) => ({ status: 200, body: listing(channelOf(ctx).topics) }),
    },
    { method: 'PUT', pattern: /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/, endpoint: 'notifications', handle: change('replace') },
    { method: 'POST', pattern: /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/, endpoint: 'notifications', handle: change('add') },
    {
      method: 'DELETE',
      pattern: /^\/api\/v2\/notifications\/channels\/([^/]+)\/subscriptions$/,
      endpoint: 'notifications',
      handle: (ctx) => {
        hub.unsubscribeAll(channelOf(ctx));
        return { status: 204 };
      },
    },
  ];
}

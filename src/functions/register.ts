import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { durableControl, lazyDurableControl, managementHttp, requestContext, toApiRequest, toHttpResponse } from './adapt';
import type { Registration } from './registration';

/** Hands every entry of the registration list to @azure/functions / durable-functions. The only caller of `app.*`. */
export function register(registrations: Registration[]): void {
  const http = managementHttp();
  const durableInput = df.input.durableClient();
  const httpContext = lazyDurableControl(http, (context) => df.getClient(context));
  for (const r of registrations) {
    switch (r.kind) {
      case 'http': {
        const common = { route: r.route, methods: r.methods, authLevel: 'anonymous' as const };
        // the durable client binding is declared as df.app.client.http would, but the client is
        // made on first use and shared (lazyDurableControl), not built for every request
        const withDurable = r.durableClient;
        app.http(r.name, {
          ...common,
          ...(withDurable ? { extraInputs: [durableInput] } : {}),
          handler: async (request: HttpRequest, context: InvocationContext) =>
            toHttpResponse(await r.handler(await toApiRequest(request), withDurable ? httpContext(context, durableInput) : requestContext(context, undefined))),
        });
        break;
      }
      case 'timer':
        if (r.durableClient) {
          df.app.client.timer(r.name, {
            schedule: r.schedule,
            handler: (timer, client, context) => r.handler(requestContext(context, durableControl(client, http)), firedAt(timer)),
          });
        } else {
          app.timer(r.name, { schedule: r.schedule, handler: (timer, context) => r.handler(requestContext(context, undefined), firedAt(timer)) });
        }
        break;
      case 'serviceBusQueue': {
        const common = { connection: r.connection, queueName: r.queueName };
        if (r.durableClient) {
          df.app.client.serviceBusQueue(r.name, {
            ...common,
            handler: (message, client, context) => r.handler(message, requestContext(context, durableControl(client, http))),
          });
        } else {
          app.serviceBusQueue(r.name, {
            ...common,
            handler: (message, context) => r.handler(message, requestContext(context, undefined)),
          });
        }
        break;
      }
      case 'orchestration':
        df.app.orchestration(r.name, r.handler);
        break;
      case 'activity':
        df.app.activity(r.name, { handler: r.handler });
        break;
      case 'entity':
        df.app.entity(r.name, r.handler);
        break;
    }
  }
}

/**
 * When the runtime fired a timer: the schedule status's `lastUpdated`, which the runtime sets as
 * it fires (the local host from its own clock, virtual in tests). Undefined when absent.
 */
function firedAt(timer: { scheduleStatus?: { lastUpdated?: string } } | undefined): Date | undefined {
  const at = Date.parse(timer?.scheduleStatus?.lastUpdated ?? '');
  return Number.isNaN(at) ? undefined : new Date(at);
}

import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { durableControl, requestContext, toApiRequest, toHttpResponse } from './adapt';
import type { Registration } from './registration';

/** Hands every entry of the registration list to @azure/functions / durable-functions. The only caller of `app.*`. */
export function register(registrations: Registration[]): void {
  for (const r of registrations) {
    switch (r.kind) {
      case 'http': {
        const common = { route: r.route, methods: r.methods, authLevel: 'anonymous' as const };
        const serve = async (request: HttpRequest, context: InvocationContext, client?: df.DurableClient) =>
          toHttpResponse(
            await r.handler(await toApiRequest(request), requestContext(context, client && durableControl(client))),
          );
        if (r.durableClient) {
          df.app.client.http(r.name, { ...common, handler: (request, client, context) => serve(request, context, client) });
        } else {
          app.http(r.name, { ...common, handler: (request, context) => serve(request, context) });
        }
        break;
      }
      case 'timer':
        if (r.durableClient) {
          df.app.client.timer(r.name, {
            schedule: r.schedule,
            handler: (_timer, client, context) => r.handler(requestContext(context, durableControl(client))),
          });
        } else {
          app.timer(r.name, { schedule: r.schedule, handler: (_timer, context) => r.handler(requestContext(context, undefined)) });
        }
        break;
      case 'serviceBusQueue': {
        const common = { connection: r.connection, queueName: r.queueName };
        if (r.durableClient) {
          df.app.client.serviceBusQueue(r.name, {
            ...common,
            handler: (message, client, context) => r.handler(message, requestContext(context, durableControl(client))),
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

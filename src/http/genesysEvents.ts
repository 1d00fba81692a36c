import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logging/logger';
import type { EnvelopeQueue, QueuedEnvelope } from '../adapters/servicebus/envelopeQueue';
import { parseEnvelope } from '../adapters/genesys/events';
import { problem, type ApiHandler, type RequestContext } from './types';
import { BULK_BODY_MAX_BYTES, bodyTooLarge, invalidParam } from './validation';

/** The header an EventBridge API destination's Connection (API-key authorization) sends. */
export const GENESYS_EVENTS_KEY_HEADER = 'x-api-key';
/** EventBridge API destinations send one event; batches from other forwarders are capped. */
export const MAX_ENVELOPES_PER_REQUEST = 100;
export const MAX_BODY_BYTES = BULK_BODY_MAX_BYTES;

export interface GenesysEventsRouteOptions {
  apiKey: string;
  /** resolved per request: the local runtime's inline queue needs the request's durable client */
  queue: (context: RequestContext) => EnvelopeQueue;
  logger: Logger;
}

/** Compares digests, so neither length nor content of the key leaks through timing. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `POST /genesys/events`: EventBridge API destinations (or any forwarder) deliver envelopes here.
 * Every envelope is validated before any is accepted, then each becomes one queue message; the
 * answer is 202 once they are durably queued. Processing happens in the queue consumer, exactly
 * as for envelopes EventBridge puts on Service Bus directly.
 */
export function genesysEventsHandler(options: GenesysEventsRouteOptions): ApiHandler {
  const log = options.logger.child({ route: 'genesys-events' });
  return async (request, context) => {
    const tooLarge = bodyTooLarge(request, MAX_BODY_BYTES);
    if (tooLarge) return tooLarge;
    const presented = request.header(GENESYS_EVENTS_KEY_HEADER);
    if (!presented || !sameSecret(presented, options.apiKey)) {
      return problem(401, 'unauthorized', 'Missing or wrong API key', `send the key in the ${GENESYS_EVENTS_KEY_HEADER} header`);
    }
    const type = request.header('content-type');
    if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
      return problem(415, 'unsupported-media-type', 'Body must be JSON', 'content-type must be application/json', {
        'invalid-params': [{ name: 'content-type', reason: 'must be application/json' }],
      });
    }
    // API destinations retry 401, 407, 409, 429 and 5xx answers only: a malformed event is a 400, which ends them
    if (!request.body) return invalidParam('body', 'body', 'is empty: send an EventBridge envelope or an array of them', 'invalid-envelope', 'Empty body');
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      return invalidParam('body', 'body', 'is not JSON', 'invalid-envelope', 'Body is not JSON');
    }
    const items = Array.isArray(json) ? json : [json];
    if (items.length === 0) return invalidParam('body', 'body', 'is an empty array: send at least one envelope', 'invalid-envelope', 'Empty array');
    if (items.length > MAX_ENVELOPES_PER_REQUEST) {
      return problem(413, 'payload-too-large', 'Too many envelopes', `at most ${MAX_ENVELOPES_PER_REQUEST} per request`, {
        'invalid-params': [{ name: 'body', reason: `at most ${MAX_ENVELOPES_PER_REQUEST} envelopes` }],
      });
    }
    const messages: QueuedEnvelope[] = [];
    for (const [i, item] of items.entries()) {
      const parsed = parseEnvelope(item);
      if (!parsed.ok) {
        const where = Array.isArray(json) ? `[${i}]` : '';
        const field = `${where}${parsed.error.split(':')[0]}` || 'body';
        return problem(400, 'invalid-envelope', 'Not a Genesys EventBridge envelope', `${where}${parsed.error}`, {
          field,
          'invalid-params': [{ name: field, reason: parsed.error.slice(parsed.error.indexOf(':') + 1).trim() || 'is invalid' }],
        });
      }
      messages.push({ messageId: parsed.value.envelope.id, body: item });
    }
    try {
      await options.queue(context).send(messages);
    } catch (error) {
      log.error({ err: error, count: messages.length }, 'could not queue Genesys envelopes');
      return { ...problem(503, 'queue-unavailable', 'Events could not be queued', 'retry later'), headers: { 'content-type': 'application/problem+json', 'retry-after': '5' } };
    }
    return { status: 202, body: { accepted: messages.length } };
  };
}

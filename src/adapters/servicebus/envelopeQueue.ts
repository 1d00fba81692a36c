import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import type { Logger } from '../../logging/logger';

/** One message for the Genesys events queue: an EventBridge envelope and its id. */
export interface QueuedEnvelope {
  /** the envelope's `id`: Service Bus duplicate detection (when enabled) drops a re-sent one */
  messageId: string;
  body: unknown;
}

/**
 * Where `POST /genesys/events` puts what it accepts, so the HTTP path and EventBridge's own Service
 * Bus path meet in one queue and one consumer (at-least-once, dead-letter, bounded retries).
 */
export interface EnvelopeQueue {
  send(messages: QueuedEnvelope[]): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceBusQueueOptions {
  /** `<namespace>.servicebus.windows.net`, from `ServiceBusConnection__fullyQualifiedNamespace` */
  fullyQualifiedNamespace: string;
  queueName: string;
  /** the Function App's managed identity (DefaultAzureCredential); no connection string or SAS key */
  credential: TokenCredential;
  logger: Logger;
  /** replaces the AMQP client (tests) */
  createClient?: (fullyQualifiedNamespace: string, credential: TokenCredential) => Pick<ServiceBusClient, 'createSender' | 'close'>;
}

/** Azure: @azure/service-bus with an identity, batched so a large EventBridge batch is one round trip. */
export function serviceBusEnvelopeQueue(options: ServiceBusQueueOptions): EnvelopeQueue {
  // Created on first use: a Function App instance that never receives a POST opens no AMQP link.
  let client: Pick<ServiceBusClient, 'createSender' | 'close'> | undefined;
  let sender: ServiceBusSender | undefined;
  const create = options.createClient ?? ((ns: string, credential: TokenCredential) => new ServiceBusClient(ns, credential));
  const senderOf = () => {
    client ??= create(options.fullyQualifiedNamespace, options.credential);
    sender ??= client.createSender(options.queueName);
    return sender;
  };
  return {
    async send(messages) {
      if (messages.length === 0) return;
      const s = senderOf();
      let batch = await s.createMessageBatch();
      for (const m of messages) {
        const message = { messageId: m.messageId, body: m.body, contentType: 'application/json' };
        if (batch.tryAddMessage(message)) continue;
        if (batch.count === 0) throw new Error('an envelope is larger than a Service Bus message may be');
        await s.sendMessages(batch);
        batch = await s.createMessageBatch();
        if (!batch.tryAddMessage(message)) throw new Error('an envelope is larger than a Service Bus message may be');
      }
      if (batch.count > 0) await s.sendMessages(batch);
    },
    async close() {
      await sender?.close();
      await client?.close();
      sender = undefined;
      client = undefined;
    },
  };
}

/** The local host's in-process queue (same at-least-once delivery and dead-lettering as Service Bus). */
export type LocalEnqueue = (queueName: string, message: unknown) => void | Promise<void>;

export function inProcessEnvelopeQueue(enqueue: LocalEnqueue, queueName: string): EnvelopeQueue {
  return {
    async send(messages) {
      for (const m of messages) await enqueue(queueName, m.body);
    },
    async close() {},
  };
}

export interface InlineQueueOptions {
  /** attempts per message before the send fails (the HTTP caller then retries: EventBridge does) */
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  logger: Logger;
}

/**
 * Local runtime without a queue to hand: each message is processed at once by the same consumer
 * code, with bounded retries; `send` resolves only once every message was processed, and throws
 * otherwise, so the sender's own retry (EventBridge retries a 5xx) gives at-least-once delivery.
 * A poison message is never retried; it is logged as dead-lettered with its reason.
 */
export function inlineEnvelopeQueue(
  consume: (body: unknown) => Promise<void>,
  isPoison: (error: unknown) => boolean,
  options: InlineQueueOptions,
): EnvelopeQueue {
  const maxAttempts = options.maxAttempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async send(messages) {
      for (const m of messages) {
        for (let attempt = 1; ; attempt++) {
          try {
            await consume(m.body);
            break;
          } catch (error) {
            if (isPoison(error)) {
              options.logger.warn({ messageId: m.messageId, reason: error instanceof Error ? error.message : String(error) }, 'message dead-lettered');
              break;
            }
            if (attempt >= maxAttempts) throw error;
            await sleep(baseDelayMs * 2 ** (attempt - 1));
          }
        }
      }
    },
    async close() {},
  };
}

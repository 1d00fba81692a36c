import { randomUUID } from 'node:crypto';
import type { SimClock } from './clock';
import type { DetailEventRecord } from './model';

/** An EventBridge event as Genesys's partner event source delivers it (reference genesys.md §6). */
export interface EventBridgeEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    topicName: string;
    version: string;
    eventBody: Record<string, unknown>;
    metadata: { CorrelationId: string };
  };
}

export type EventSink = (envelope: EventBridgeEnvelope) => void | Promise<void>;

export interface EventFaults {
  /** probability an envelope is delivered twice */
  duplicateRate?: number;
  /** probability an envelope is held back and delivered after the next one */
  reorderRate?: number;
  /** probability an envelope is never delivered */
  dropRate?: number;
}

export function toEnvelope(record: DetailEventRecord, orgId: string, clock: SimClock): EventBridgeEnvelope {
  const conversationId = String(record.body.conversationId);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': `v2.detail.events.conversation.{id}.${record.kind}`,
    source: `aws.partner/genesys.com/cloud/${orgId}/maxconf`,
    account: '000000000000',
    time: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'ca-central-1',
    resources: [],
    detail: {
      topicName: `v2.detail.events.conversation.${conversationId}.${record.kind}`,
      version: '2',
      eventBody: record.body,
      metadata: { CorrelationId: randomUUID() },
    },
  };
}

/** How a failed hand-over to the sink is retried (EventBridge retries API destinations too). */
export interface SinkRetry {
  attempts: number;
  firstDelayMs: number;
}

/**
 * Delivers envelopes to the sink with the configured faults. Delivery is asynchronous (as
 * EventBridge's is) and conversations are delivered side by side, as EventBridge invokes its
 * target concurrently: one slow answer must not hold every other call's events back (a single
 * chain made a load run's Genesys events trail by tens of seconds). Within one conversation the
 * envelopes keep their emission order (the reorder fault is what moves them). A sink that fails
 * (MaxConf restarting, a 5xx) is retried with back-off before that conversation's next envelope
 * goes, as an EventBridge target is; one that still fails is counted and dropped.
 */
export class EventDelivery {
  readonly log: EventBridgeEnvelope[] = [];
  delivered = 0;
  dropped = 0;
  failures = 0;
  private held: EventBridgeEnvelope | undefined;
  /** one ordered chain per conversation, removed once it has drained */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private sink: EventSink | undefined,
    public faults: EventFaults,
    private readonly random: () => number,
    private readonly retry: SinkRetry = { attempts: 6, firstDelayMs: 100 },
  ) {}

  setSink(sink: EventSink | undefined): void {
    this.sink = sink;
  }

  publish(envelope: EventBridgeEnvelope): void {
    this.log.push(envelope);
    if (this.random() < (this.faults.dropRate ?? 0)) {
      this.dropped++;
      return;
    }
    const out: EventBridgeEnvelope[] = [];
    if (this.held) {
      // the held one goes out after this one: reordered
      out.push(envelope, this.held);
      this.held = undefined;
    } else if (this.random() < (this.faults.reorderRate ?? 0)) {
      this.held = envelope;
      return;
    } else {
      out.push(envelope);
    }
    for (const e of [...out]) if (this.random() < (this.faults.duplicateRate ?? 0)) out.push(e);
    for (const e of out) this.enqueue(e);
  }

  /** Delivers anything held back for reordering (so a test's last event is not lost). */
  flushHeld(): void {
    if (this.held) this.enqueue(this.held);
    this.held = undefined;
  }

  /** Resolves when everything published so far has been handed to the sink. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private enqueue(envelope: EventBridgeEnvelope): void {
    const key = String(envelope.detail.eventBody.conversationId ?? envelope.detail.topicName);
    const chain = (this.chains.get(key) ?? Promise.resolve()).then(async () => {
      for (let attempt = 1; this.sink; attempt++) {
        try {
          await this.sink(envelope);
          this.delivered++;
          return;
        } catch {
          if (attempt >= this.retry.attempts) {
            this.failures++;
            return;
          }
          // real time on purpose: this is the delivery infrastructure, not Genesys's clock
          await new Promise((r) => setTimeout(r, this.retry.firstDelayMs * 2 ** (attempt - 1)));
        }
      }
    });
    this.chains.set(key, chain);
    void chain.then(() => {
      if (this.chains.get(key) === chain) this.chains.delete(key);
    });
  }
}

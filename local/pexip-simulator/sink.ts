/**
 * The event sink as a conferencing node runs it: one ordered queue per node, `seq` per node and
 * per sink (back to 1 when the sink restarts), HTTP Basic, retry until delivered (a slow or
 * unreachable receiver gets the backlog late, in a burst), optional bulk posting, and fault knobs.
 */
export interface SinkTarget {
  url: string;
  username: string;
  password: string;
  bulk?: boolean;
}

export interface SinkFaults {
  /** probability an event is posted twice */
  duplicate?: number;
  /** probability an event swaps places with the next one of the same node */
  reorder?: number;
  /** probability an event is never posted */
  drop?: number;
  /** delay before each post */
  delayMs?: number;
}

export interface SinkEnvelope {
  node: string;
  seq: number;
  version: number;
  time: number;
  event: string;
  data: unknown;
}

export interface SinkDelivery {
  envelope: SinkEnvelope | SinkEnvelope[];
  status: number;
  /** the receiver's answer, parsed when it was JSON */
  reply: unknown;
}

interface NodeQueue {
  seq: number;
  pending: SinkEnvelope[];
  running: boolean;
  /** how many of `pending` (from the front) are being posted now: a reorder must not touch them */
  sending: number;
}

export class EventSinkPoster {
  private target: SinkTarget | undefined;
  private readonly queues = new Map<string, NodeQueue>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  readonly delivered: SinkDelivery[] = [];
  faults: SinkFaults = {};

  constructor(
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  setTarget(target: SinkTarget | undefined): void {
    this.target = target;
    this.restart();
    if (target) for (const node of this.knownNodes) this.enqueue(node, 'eventsink_started', {});
  }

  private knownNodes = new Set<string>();

  registerNodes(nodes: string[]): void {
    for (const n of nodes) this.knownNodes.add(n);
  }

  /** The sink restarted: every node starts counting from 1 again. */
  restart(): void {
    for (const q of this.queues.values()) q.seq = 0;
  }

  enqueue(node: string, event: string, data: unknown): void {
    if (!this.target || this.stopped) return;
    let q = this.queues.get(node);
    if (!q) {
      q = { seq: 0, pending: [], running: false, sending: 0 };
      this.queues.set(node, q);
    }
    q.seq += 1;
    const envelope: SinkEnvelope = { node, seq: q.seq, version: 2, time: this.now() / 1000, event, data };
    if (this.random() < (this.faults.drop ?? 0)) return;
    q.pending.push(envelope);
    if (this.random() < (this.faults.duplicate ?? 0)) q.pending.push(envelope);
    if (q.pending.length - q.sending >= 2 && this.random() < (this.faults.reorder ?? 0)) {
      const last = q.pending.length - 1;
      [q.pending[last - 1], q.pending[last]] = [q.pending[last]!, q.pending[last - 1]!];
    }
    if (!q.running) void this.drain(q);
  }

  private async drain(q: NodeQueue): Promise<void> {
    q.running = true;
    let failures = 0;
    while (q.pending.length > 0 && !this.stopped) {
      const target = this.target;
      if (!target) {
        q.pending.length = 0;
        break;
      }
      // wait a tick so events raised together can be bulked, as a node batches its backlog
      await new Promise((r) => setImmediate(r));
      if (this.faults.delayMs) await new Promise((r) => setTimeout(r, this.faults.delayMs));
      const batch = target.bulk ? q.pending.slice(0, 50) : q.pending.slice(0, 1);
      const body = target.bulk
        ? { event: 'eventsink_bulk', node: batch[0]!.node, seq: 0, version: 2, time: this.now() / 1000, data: batch }
        : batch[0];
      let status: number;
      let reply: unknown;
      q.sending = batch.length;
      try {
        const response = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        const text = await response.text().catch(() => '');
        try {
          reply = text ? JSON.parse(text) : undefined;
        } catch {
          reply = text;
        }
      } catch {
        status = 0;
      }
      q.sending = 0;
      if (status >= 200 && status < 300) {
        q.pending.splice(0, batch.length);
        this.delivered.push({ envelope: target.bulk ? batch : batch[0]!, status, reply });
        failures = 0;
      } else if (status >= 400 && status < 500 && status !== 429) {
        // the receiver refuses this event: a node logs it and moves on
        q.pending.splice(0, batch.length);
        this.delivered.push({ envelope: target.bulk ? batch : batch[0]!, status, reply });
      } else {
        failures += 1;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** failures)));
      }
    }
    q.running = false;
    if ([...this.queues.values()].every((x) => !x.running && x.pending.length === 0)) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves once every queued event has been posted (or refused). */
  idle(): Promise<void> {
    if ([...this.queues.values()].every((q) => !q.running && q.pending.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const q of this.queues.values()) q.pending.length = 0;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

import { randomUUID } from 'node:crypto';
import type { ModelOptions, SimAgent, SimConversation, SimDivision, SimParticipant, SimPurpose, SimQueue } from './types';

/**
 * The records and primitives every part of the model shares: agents and conversations, adding
 * and ending participants, detail events (EventBridge, UPPERCASE enums) and change batches
 * (notifications: one per operation, then one more for legs whose wrap-up just ended).
 */
export class ModelCore {
  readonly agents = new Map<string, SimAgent>();
  readonly conversations = new Map<string, SimConversation>();
  private depth = 0;
  private changes = 0;
  private readonly dirty = new Set<SimConversation>();

  constructor(protected readonly o: ModelOptions) {}

  get queues(): SimQueue[] {
    return this.o.queues;
  }
  get divisions(): SimDivision[] {
    return this.o.divisions;
  }
  /** the queue inbound calls are transferred to */
  get mainQueue(): SimQueue {
    return this.o.queues[0]!;
  }

  customer(c: SimConversation): SimParticipant {
    return c.participants.find((p) => p.purpose === 'customer')!;
  }

  /** the agent legs still on the call (alerting or connected) */
  protected liveAgentLegs(c: SimConversation): SimParticipant[] {
    return c.participants.filter((p) => p.purpose === 'agent' && !p.endTime);
  }

  stop(): void {
    for (const c of this.conversations.values()) for (const t of c.timers) t.cancel();
  }

  /** Runs one operation; the conversations it touched are reported once it (and any nested one) is done. */
  protected batch<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flushChanges();
    }
  }

  protected touch(c: SimConversation): void {
    this.dirty.add(c);
  }

  private flushChanges(): void {
    while (this.dirty.size > 0) {
      const batch = [...this.dirty];
      this.dirty.clear();
      for (const c of batch) this.report(c);
      // No after-call work here: an ended agent leg is wrapped up at once, which Genesys reports as `terminated`.
      for (const c of batch) {
        const ended = c.participants.filter((p) => p.purpose === 'agent' && p.endTime && !p.terminated);
        if (ended.length === 0) continue;
        for (const p of ended) p.terminated = true;
        this.report(c, ended);
      }
    }
  }

  private report(c: SimConversation, justTerminated: SimParticipant[] = []): void {
    if (!this.o.changed) return;
    const change = ++this.changes;
    for (const p of justTerminated) p.terminatedInChange = change;
    const users = new Set<string>();
    for (const p of c.participants) {
      if (p.purpose === 'agent' && p.userId && (!p.terminated || p.terminatedInChange === change)) users.add(p.userId);
    }
    this.o.changed(c, [...users], change);
  }

  setAttributes(c: SimConversation, p: SimParticipant, attributes: Record<string, string>): void {
    this.batch(() => {
      Object.assign(p.attributes, attributes);
      this.touch(c);
      this.o.emit({ kind: 'attributes', body: { eventTime: this.o.clock.now(), conversationId: c.id, participantId: p.id, attributes: { ...p.attributes } } });
    });
  }

  protected endParticipant(c: SimConversation, p: SimParticipant, disconnectType: string): void {
    if (p.endTime) return;
    p.endTime = this.o.clock.now();
    p.state = 'disconnected';
    p.disconnectType = disconnectType;
    p.held = false;
    delete p.startHoldTime;
    this.touch(c);
  }

  protected addParticipant(c: SimConversation, p: Partial<SimParticipant> & { purpose: SimPurpose }): SimParticipant {
    const participant: SimParticipant = {
      id: randomUUID(),
      sessionId: randomUUID(),
      startTime: this.o.clock.now(),
      state: 'alerting',
      attributes: {},
      held: false,
      muted: false,
      confined: false,
      ...p,
    };
    c.participants.push(participant);
    this.touch(c);
    return participant;
  }

  protected after(c: SimConversation, ms: number, fn: () => void): void {
    c.timers.push(this.o.clock.setTimer(ms, fn));
  }

  protected event(c: SimConversation, p: SimParticipant, kind: string, extra: Record<string, unknown>): void {
    this.o.emit({
      kind,
      body: {
        eventTime: this.o.clock.now(),
        conversationId: c.id,
        participantId: p.id,
        sessionId: p.sessionId,
        mediaType: 'VOICE',
        provider: 'Edge',
        direction: 'INBOUND',
        ani: c.ani,
        dnis: c.dnis,
        addressFrom: c.ani,
        addressTo: c.dnis,
        divisionId: this.mainQueue.divisionId,
        ...extra,
      },
    });
  }
}

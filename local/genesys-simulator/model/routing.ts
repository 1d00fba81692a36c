import { randomUUID } from 'node:crypto';
import type { SipCaller, SipInvite } from '../../../src/contracts/sip';
import { ModelCore } from './core';
import type { FlowRelease, FlowSettings, ModelOptions, SimAgent, SimConversation, SimParticipant, SimQueue } from './types';

/** Calls in: the trunk, today's inbound flow, the queue, offers to agents and answers. */
export class CallRouting extends ModelCore {
  readonly flow: FlowSettings;

  constructor(o: ModelOptions) {
    super(o);
    this.flow = { ...o.flow };
  }

  addAgent(agent: Partial<SimAgent> & { divisionId?: string } = {}): SimAgent {
    const a: SimAgent = {
      id: agent.id ?? randomUUID(),
      name: agent.name ?? `Agent ${this.agents.size + 1}`,
      divisionId: agent.divisionId ?? this.o.divisions[0]!.id,
      loggedOn: agent.loggedOn ?? true,
      available: agent.available ?? true,
      conversationId: undefined,
      autoAnswer: agent.autoAnswer ?? this.o.autoAnswer ?? true,
      idleSince: 0,
    };
    this.agents.set(a.id, a);
    this.batch(() => this.routeWaiting());
    return a;
  }

  setAgentAvailable(userId: string, available: boolean): SimAgent | undefined {
    const a = this.agents.get(userId);
    if (!a) return undefined;
    a.available = available;
    if (available) {
      a.loggedOn = true;
      this.batch(() => this.routeWaiting());
    }
    return a;
  }

  setAgentLoggedOn(userId: string, loggedOn: boolean): SimAgent | undefined {
    const a = this.agents.get(userId);
    if (!a) return undefined;
    a.loggedOn = loggedOn;
    if (!loggedOn) a.available = false;
    return a;
  }

  setAutoAnswer(userId: string, autoAnswer: boolean): SimAgent | undefined {
    const a = this.agents.get(userId);
    if (a) a.autoAnswer = autoAnswer;
    return a;
  }

  /** Agents logged on to take calls: the flow's "agents available?" branch looks at these. */
  protected loggedOnAgents(): SimAgent[] {
    return [...this.agents.values()].filter((a) => a.loggedOn);
  }

  /** Pexip's INVITE: the trunk answers at once (the IVR picks up) and the flow runs. */
  invite(invite: SipInvite, caller: SipCaller): { ok: true; conversation: SimConversation } | { ok: false; status: number; reason: string } {
    if (this.o.sipUri && invite.toUri.toLowerCase() !== this.o.sipUri.toLowerCase()) {
      return { ok: false, status: 404, reason: 'Not Found' };
    }
    return this.batch(() => {
      const now = this.o.clock.now();
      const conversation: SimConversation = {
        id: randomUUID(),
        startTime: now,
        ani: invite.fromUri,
        aniName: invite.fromDisplayName,
        dnis: invite.toUri,
        uuiData: invite.userToUser,
        participants: [],
        caller,
        timers: [],
      };
      this.conversations.set(conversation.id, conversation);
      const customer = this.addParticipant(conversation, { purpose: 'customer', state: 'connected', connectedTime: now });
      this.event(conversation, customer, 'customer.start', {});
      const ivr = this.addParticipant(conversation, { purpose: 'ivr', state: 'connected', connectedTime: now });
      this.event(conversation, ivr, 'flow.start', { flowType: 'INBOUNDCALL', flowId: 'sbc-cafex-entry' });
      // The flow copies the caller's identity into participant data (Set Participant Data).
      const room = /^sips?:([^@;]+)@/i.exec(invite.fromUri)?.[1];
      if (room) this.setAttributes(conversation, customer, { maxconfSessionId: decodeURIComponent(room) });
      this.after(conversation, this.o.flowDelayMs, () => this.batch(() => this.runFlow(conversation)));
      return { ok: true as const, conversation };
    });
  }

  /** Today's inbound flow: holiday? → open? → agents logged on? → queue. */
  private runFlow(c: SimConversation): void {
    if (c.endTime) return;
    const release: FlowRelease | undefined = this.flow.holiday
      ? 'holiday'
      : !this.flow.open
        ? 'after_hours'
        : this.flow.releaseWhenNoAgents && this.loggedOnAgents().length === 0
          ? 'no_agents'
          : undefined;
    const ivr = c.participants.find((p) => p.purpose === 'ivr' && !p.endTime)!;
    const customer = this.customer(c);
    if (release) {
      c.releasedBy = release;
      this.setAttributes(c, customer, { maxconfFlowOutcome: release });
      this.endParticipant(c, ivr, 'peer');
      this.event(c, ivr, 'flow.end', { flowType: 'INBOUNDCALL', exitReason: 'DISCONNECT', disconnectType: 'PEER' });
      this.endCustomer(c, 'peer', `released by flow: ${release}`);
      return;
    }
    this.endParticipant(c, ivr, 'transfer');
    this.event(c, ivr, 'flow.end', { flowType: 'INBOUNDCALL', exitReason: 'TRANSFER', transferType: 'ACD', disconnectType: 'TRANSFER' });
    this.enterQueue(c, this.mainQueue);
    if (this.o.abandonAfterMs !== undefined) this.after(c, this.o.abandonAfterMs, () => this.abandon(c.id));
  }

  protected enterQueue(c: SimConversation, queue: SimQueue): void {
    const acd = this.addParticipant(c, { purpose: 'acd', state: 'connected', connectedTime: this.o.clock.now(), queueId: queue.id });
    c.queueId = queue.id;
    c.waitingSince = this.o.clock.now();
    this.event(c, acd, 'acd.start', { queueId: queue.id, routingPriority: 0 });
    this.routeWaiting();
  }

  /** Offers the longest-waiting calls that nobody is being offered to the longest-idle free agents. */
  protected routeWaiting(): void {
    const waiting = [...this.conversations.values()]
      .filter((c) => c.waitingSince !== undefined && !c.endTime && !c.participants.some((p) => p.purpose === 'agent' && p.state === 'alerting'))
      .sort((a, b) => a.waitingSince! - b.waitingSince!);
    for (const c of waiting) {
      const agent = [...this.agents.values()].filter((a) => a.available && !a.conversationId).sort((a, b) => a.idleSince - b.idleSince)[0];
      if (!agent) return;
      this.offer(c, agent, c.queueId);
    }
  }

  /** The call alerts on the agent's desktop; an auto-answering agent picks up after the answer delay. */
  protected offer(c: SimConversation, agent: SimAgent, queueId: string | undefined): SimParticipant {
    agent.conversationId = c.id;
    const leg = this.addParticipant(c, { purpose: 'agent', state: 'alerting', userId: agent.id, ...(queueId ? { queueId } : {}) });
    if (agent.autoAnswer) this.after(c, this.o.answerDelayMs, () => this.answer(c.id, agent.id));
    return leg;
  }

  /**
   * The agent picks up: the offered leg (or, for a scripted answer of a waiting call, a new one)
   * connects; from the queue that is acd.end ANSWERED; always user.start.
   */
  answer(conversationId: string, userId?: string): boolean {
    const c = this.conversations.get(conversationId);
    if (!c || c.endTime) return false;
    return this.batch(() => {
      const alerting = c.participants.filter((p) => p.purpose === 'agent' && p.state === 'alerting' && !p.endTime);
      const agent = userId
        ? this.agents.get(userId)
        : (alerting[0]?.userId ? this.agents.get(alerting[0].userId) : undefined) ??
          [...this.agents.values()].find((a) => a.available && !a.conversationId) ??
          // a scripted answer may use a logged-on agent who is not taking offers right now
          [...this.agents.values()].find((a) => a.loggedOn && !a.conversationId);
      if (!agent || (agent.conversationId && agent.conversationId !== conversationId)) return false;
      let leg = alerting.find((p) => p.userId === agent.id);
      if (!leg && c.waitingSince === undefined) return false;
      // an answer by another agent withdraws the offer the call had
      for (const other of alerting) if (other !== leg) this.withdrawOffer(c, other);
      agent.conversationId = conversationId;
      agent.available = false;
      const acd = c.participants.find((p) => p.purpose === 'acd' && !p.endTime);
      if (c.waitingSince !== undefined && acd) {
        c.waitingSince = undefined;
        this.endParticipant(c, acd, 'transfer');
        this.event(c, acd, 'acd.end', { queueId: acd.queueId, acdOutcome: 'ANSWERED', answeredUserId: agent.id, disconnectType: 'TRANSFER' });
      }
      leg ??= this.addParticipant(c, { purpose: 'agent', state: 'alerting', userId: agent.id, ...(acd?.queueId ? { queueId: acd.queueId } : {}) });
      leg.state = 'connected';
      leg.connectedTime = this.o.clock.now();
      this.touch(c);
      this.event(c, leg, 'user.start', { userId: agent.id, ...(leg.queueId ? { queueId: leg.queueId } : {}) });
      return true;
    });
  }

  /** The caller gives up while waiting (also when the caller hangs up in the queue). */
  abandon(conversationId: string, disconnectType = 'endpoint'): boolean {
    const c = this.conversations.get(conversationId);
    if (!c || c.endTime || c.waitingSince === undefined) return false;
    return this.batch(() => {
      this.leaveQueue(c, disconnectType);
      this.endCustomer(c, disconnectType, 'abandoned');
      return true;
    });
  }

  estimatedWaitSeconds(queueId: string, conversationId?: string): number {
    const waiting = this.waitingIn(queueId);
    const index = conversationId ? waiting.findIndex((c) => c.id === conversationId) : waiting.length;
    const ahead = index < 0 ? waiting.length : index;
    const agents = Math.max(1, this.loggedOnAgents().length);
    return Math.round(((ahead + 1) * this.o.averageHandleSeconds) / agents);
  }

  waitingIn(queueId: string): SimConversation[] {
    return [...this.conversations.values()]
      .filter((c) => c.queueId === queueId && c.waitingSince !== undefined && !c.endTime)
      .sort((a, b) => a.waitingSince! - b.waitingSince!);
  }

  /** An offer that ends unanswered: the leg ends, the agent is free again (no detail event: it never started). */
  protected withdrawOffer(c: SimConversation, leg: SimParticipant, disconnectType = 'other'): void {
    this.endParticipant(c, leg, disconnectType);
    const agent = leg.userId ? this.agents.get(leg.userId) : undefined;
    if (agent?.conversationId === c.id) agent.conversationId = undefined;
  }

  protected leaveQueue(c: SimConversation, disconnectType: string): void {
    const acd = c.participants.find((p) => p.purpose === 'acd' && !p.endTime);
    c.waitingSince = undefined;
    for (const leg of c.participants) if (leg.purpose === 'agent' && leg.state === 'alerting' && !leg.endTime) this.withdrawOffer(c, leg, 'peer');
    if (!acd) return;
    this.endParticipant(c, acd, disconnectType);
    this.event(c, acd, 'acd.end', { queueId: acd.queueId, acdOutcome: 'ABANDON', disconnectType: disconnectType.toUpperCase() });
    this.routeWaiting();
  }

  /** An agent leg ends: user.end if it had started (was answered); the agent is free for the next call. */
  protected endAgent(c: SimConversation, p: SimParticipant, disconnectType: string): void {
    const started = p.state === 'connected';
    this.endParticipant(c, p, disconnectType);
    if (started) this.event(c, p, 'user.end', { userId: p.userId, queueId: p.queueId, disconnectType: disconnectType.toUpperCase() });
    const agent = p.userId ? this.agents.get(p.userId) : undefined;
    if (agent && agent.conversationId === c.id) {
      agent.conversationId = undefined;
      agent.available = true;
      agent.idleSince = this.o.clock.now();
      this.routeWaiting();
    }
  }

  protected endCustomer(c: SimConversation, disconnectType: string, remoteReason: string | undefined): void {
    const customer = this.customer(c);
    if (customer.endTime) return;
    this.endParticipant(c, customer, disconnectType);
    this.event(c, customer, 'customer.end', { disconnectType: disconnectType.toUpperCase() });
    c.endTime = this.o.clock.now();
    for (const t of c.timers) t.cancel();
    // Genesys sends BYE only when the far end ended the call, not when the caller did.
    if (remoteReason) c.caller.remoteHangUp(remoteReason);
  }
}

import { randomUUID } from 'node:crypto';
import type { SipCaller, SipInvite } from '../../../src/contracts/sip';
import type { FlowRelease, FlowSettings, ModelOptions, SimAgent, SimConversation, SimParticipant, SimPurpose, SimQueue, SimDivision } from './types';
import { analyticsView, callView, conversationView, type QueueLookup } from './views';

export type * from './types';

/**
 * Genesys Cloud's state as MaxConf can observe it: one org with divisions, users (agents), queues
 * and voice conversations. REST shapes use Genesys's lower-case enums; detail events (EventBridge)
 * use upper-case ones, as Genesys does.
 */
export class GenesysModel {
  readonly agents = new Map<string, SimAgent>();
  readonly conversations = new Map<string, SimConversation>();
  readonly flow: FlowSettings;

  constructor(private readonly o: ModelOptions) {
    this.flow = { ...o.flow };
  }

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

  addAgent(agent: Partial<SimAgent> & { divisionId?: string } = {}): SimAgent {
    const a: SimAgent = {
      id: agent.id ?? randomUUID(),
      name: agent.name ?? `Agent ${this.agents.size + 1}`,
      divisionId: agent.divisionId ?? this.o.divisions[0]!.id,
      loggedOn: agent.loggedOn ?? true,
      available: agent.available ?? true,
      conversationId: undefined,
    };
    this.agents.set(a.id, a);
    this.routeWaiting();
    return a;
  }

  setAgentAvailable(userId: string, available: boolean): SimAgent | undefined {
    const a = this.agents.get(userId);
    if (!a) return undefined;
    a.available = available;
    if (available) {
      a.loggedOn = true;
      this.routeWaiting();
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

  /** Agents logged on to take calls: the flow's "agents available?" branch looks at these. */
  private loggedOnAgents(): SimAgent[] {
    return [...this.agents.values()].filter((a) => a.loggedOn);
  }

  // ---- SIP in -------------------------------------------------------------------------------

  /** Pexip's INVITE: the trunk answers at once (the IVR picks up) and the flow runs. */
  invite(invite: SipInvite, caller: SipCaller): { ok: true; conversation: SimConversation } | { ok: false; status: number; reason: string } {
    if (this.o.sipUri && invite.toUri.toLowerCase() !== this.o.sipUri.toLowerCase()) {
      return { ok: false, status: 404, reason: 'Not Found' };
    }
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
    this.after(conversation, this.o.flowDelayMs, () => this.runFlow(conversation));
    return { ok: true, conversation };
  }

  /** maxconf-v1.md §6: holiday? → open? → agents logged on? → queue. */
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
    const queue = this.mainQueue;
    const acd = this.addParticipant(c, { purpose: 'acd', state: 'connected', connectedTime: this.o.clock.now(), queueId: queue.id });
    c.queueId = queue.id;
    c.waitingSince = this.o.clock.now();
    this.event(c, acd, 'acd.start', { queueId: queue.id, routingPriority: 0 });
    if (this.o.abandonAfterMs !== undefined) this.after(c, this.o.abandonAfterMs, () => this.abandon(c.id));
    this.routeWaiting();
  }

  /** Offers the longest-waiting calls to free agents. */
  routeWaiting(): void {
    const waiting = [...this.conversations.values()]
      .filter((c) => c.waitingSince !== undefined && !c.endTime && !this.offered.has(c.id))
      .sort((a, b) => a.waitingSince! - b.waitingSince!);
    for (const c of waiting) {
      const agent = [...this.agents.values()].find((a) => a.available && !a.conversationId);
      if (!agent) return;
      agent.conversationId = c.id;
      this.offered.add(c.id);
      this.after(c, this.o.answerDelayMs, () => this.answer(c.id, agent.id));
    }
  }
  private readonly offered = new Set<string>();

  /** The agent picks up: acd.end ANSWERED, user.start. */
  answer(conversationId: string, userId?: string): boolean {
    const c = this.conversations.get(conversationId);
    if (!c || c.endTime || c.waitingSince === undefined) return false;
    const agent = userId
      ? this.agents.get(userId)
      : [...this.agents.values()].find((a) => a.conversationId === conversationId) ??
        [...this.agents.values()].find((a) => a.available && !a.conversationId) ??
        // a scripted answer may use a logged-on agent who is not taking offers right now
        [...this.agents.values()].find((a) => a.loggedOn && !a.conversationId);
    if (!agent || (agent.conversationId && agent.conversationId !== conversationId)) return false;
    // a manual answer by another agent frees the one the call had been offered to
    for (const a of this.agents.values()) if (a.conversationId === conversationId && a !== agent) a.conversationId = undefined;
    agent.conversationId = conversationId;
    agent.available = false;
    this.offered.delete(conversationId);
    const acd = c.participants.find((p) => p.purpose === 'acd' && !p.endTime)!;
    c.waitingSince = undefined;
    this.endParticipant(c, acd, 'transfer');
    this.event(c, acd, 'acd.end', { queueId: acd.queueId, acdOutcome: 'ANSWERED', answeredUserId: agent.id, disconnectType: 'TRANSFER' });
    const now = this.o.clock.now();
    const participant = this.addParticipant(c, { purpose: 'agent', state: 'connected', connectedTime: now, userId: agent.id, queueId: acd.queueId });
    this.event(c, participant, 'user.start', { userId: agent.id, queueId: acd.queueId });
    return true;
  }

  /** The caller gives up while waiting (also when the caller hangs up in the queue). */
  abandon(conversationId: string, disconnectType = 'endpoint'): boolean {
    const c = this.conversations.get(conversationId);
    if (!c || c.endTime) return false;
    if (c.waitingSince === undefined) return false;
    this.leaveQueue(c, disconnectType);
    this.endCustomer(c, disconnectType, 'abandoned');
    return true;
  }

  /** The agent hangs up: user.end (CLIENT) and, since the agent was the far end, the customer leg ends. */
  agentHangUp(conversationId: string): boolean {
    const c = this.conversations.get(conversationId);
    const agentP = c?.participants.find((p) => p.purpose === 'agent' && !p.endTime);
    if (!c || !agentP) return false;
    this.endAgent(c, agentP, 'client');
    this.endCustomer(c, 'peer', 'agent hung up');
    return true;
  }

  /** The customer leg ends from the caller's side (Pexip sent BYE) or by API (MaxConf). */
  customerHangUp(conversationId: string, disconnectType: 'endpoint' | 'client'): boolean {
    const c = this.conversations.get(conversationId);
    if (!c || c.endTime) return false;
    const ivr = c.participants.find((p) => p.purpose === 'ivr' && !p.endTime);
    if (ivr) {
      this.endParticipant(c, ivr, 'peer');
      this.event(c, ivr, 'flow.end', { flowType: 'INBOUNDCALL', exitReason: 'DISCONNECT', disconnectType: 'PEER' });
    }
    if (c.waitingSince !== undefined) this.leaveQueue(c, disconnectType);
    const agentP = c.participants.find((p) => p.purpose === 'agent' && !p.endTime);
    this.endCustomer(c, disconnectType, disconnectType === 'client' ? 'disconnected by API' : undefined);
    if (agentP) this.endAgent(c, agentP, 'peer');
    return true;
  }

  setAttributes(c: SimConversation, p: SimParticipant, attributes: Record<string, string>): void {
    Object.assign(p.attributes, attributes);
    this.o.emit({ kind: 'attributes', body: { eventTime: this.o.clock.now(), conversationId: c.id, participantId: p.id, attributes: { ...p.attributes } } });
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

  customer(c: SimConversation): SimParticipant {
    return c.participants.find((p) => p.purpose === 'customer')!;
  }

  stop(): void {
    for (const c of this.conversations.values()) for (const t of c.timers) t.cancel();
  }

  // ---- internals ----------------------------------------------------------------------------

  private leaveQueue(c: SimConversation, disconnectType: string): void {
    const acd = c.participants.find((p) => p.purpose === 'acd' && !p.endTime);
    c.waitingSince = undefined;
    this.offered.delete(c.id);
    for (const a of this.agents.values()) if (a.conversationId === c.id) a.conversationId = undefined;
    if (!acd) return;
    this.endParticipant(c, acd, disconnectType);
    this.event(c, acd, 'acd.end', { queueId: acd.queueId, acdOutcome: 'ABANDON', disconnectType: disconnectType.toUpperCase() });
    this.routeWaiting();
  }

  private endAgent(c: SimConversation, p: SimParticipant, disconnectType: string): void {
    this.endParticipant(c, p, disconnectType);
    this.event(c, p, 'user.end', { userId: p.userId, queueId: p.queueId, disconnectType: disconnectType.toUpperCase() });
    const agent = p.userId ? this.agents.get(p.userId) : undefined;
    if (agent) {
      agent.conversationId = undefined;
      agent.available = true;
      this.routeWaiting();
    }
  }

  private endCustomer(c: SimConversation, disconnectType: string, remoteReason: string | undefined): void {
    const customer = this.customer(c);
    if (customer.endTime) return;
    this.endParticipant(c, customer, disconnectType);
    this.event(c, customer, 'customer.end', { disconnectType: disconnectType.toUpperCase() });
    c.endTime = this.o.clock.now();
    for (const t of c.timers) t.cancel();
    // Genesys sends BYE only when the far end ended the call, not when the caller did.
    if (remoteReason) c.caller.remoteHangUp(remoteReason);
  }

  private endParticipant(_c: SimConversation, p: SimParticipant, disconnectType: string): void {
    if (p.endTime) return;
    p.endTime = this.o.clock.now();
    p.state = 'disconnected';
    p.disconnectType = disconnectType;
  }

  private addParticipant(c: SimConversation, p: Partial<SimParticipant> & { purpose: SimPurpose }): SimParticipant {
    const participant: SimParticipant = {
      id: randomUUID(),
      sessionId: randomUUID(),
      startTime: this.o.clock.now(),
      state: 'alerting',
      attributes: {},
      ...p,
    };
    c.participants.push(participant);
    return participant;
  }

  private after(c: SimConversation, ms: number, fn: () => void): void {
    c.timers.push(this.o.clock.setTimer(ms, fn));
  }

  private event(c: SimConversation, p: SimParticipant, kind: string, extra: Record<string, unknown>): void {
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

  // ---- REST views (lower-case enums) --------------------------------------------------------

  private get queueLookup(): QueueLookup {
    return { all: this.o.queues, main: this.mainQueue };
  }

  conversationView(c: SimConversation): Record<string, unknown> {
    return conversationView(c, this.queueLookup);
  }

  callView(c: SimConversation): Record<string, unknown> {
    return callView(c);
  }

  /** Analytics conversation detail (`AnalyticsConversationWithoutAttributes`). */
  analyticsView(c: SimConversation): Record<string, unknown> {
    return analyticsView(c, this.queueLookup);
  }
}

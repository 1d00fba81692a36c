import { CallRouting } from './routing';
import type { SimConversation, SimParticipant } from './types';
import { analyticsView, callEventView, callView, conversationView, type QueueLookup } from './views';

export type * from './types';

/** Why an agent action was refused: Genesys answers these with 400 (bad state) or 404 (no such target). */
export class ActionRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export type TransferTarget = { userId: string } | { queueId: string };

/**
 * Genesys Cloud's state as MaxConf and the Agent App observe it: one org with divisions, users
 * (agents), queues and voice conversations, and what agents do to a call (answer, hold, mute,
 * blind transfer, hang up). REST shapes use Genesys's lower-case enums; detail events
 * (EventBridge) use upper-case ones, as Genesys does.
 */
export class GenesysModel extends CallRouting {
  /** The agent hangs up: user.end (CLIENT) and, since the agent was the far end, the customer leg ends. */
  agentHangUp(conversationId: string): boolean {
    const c = this.conversations.get(conversationId);
    const leg = c?.participants.find((p) => p.purpose === 'agent' && p.state === 'connected' && !p.endTime);
    if (!c || !leg) return false;
    return this.batch(() => {
      this.endAgent(c, leg, 'client');
      this.endCustomer(c, 'peer', 'agent hung up');
      return true;
    });
  }

  /** The customer leg ends from the caller's side (Pexip sent BYE) or by API (MaxConf). */
  customerHangUp(conversationId: string, disconnectType: 'endpoint' | 'client'): boolean {
    const c = this.conversations.get(conversationId);
    if (!c || c.endTime) return false;
    return this.batch(() => {
      const ivr = c.participants.find((p) => p.purpose === 'ivr' && !p.endTime);
      if (ivr) {
        this.endParticipant(c, ivr, 'peer');
        this.event(c, ivr, 'flow.end', { flowType: 'INBOUNDCALL', exitReason: 'DISCONNECT', disconnectType: 'PEER' });
      }
      if (c.waitingSince !== undefined) this.leaveQueue(c, disconnectType);
      const legs = this.liveAgentLegs(c);
      this.endCustomer(c, disconnectType, disconnectType === 'client' ? 'disconnected by API' : undefined);
      for (const leg of legs) this.endAgent(c, leg, 'peer');
      return true;
    });
  }

  /**
   * `PATCH …/participants/{pid}` on an agent leg, as the agent's desktop sends it: `state`
   * connected (answer an alerting leg) or disconnected (hang up; declining an offer puts the call
   * back in the queue and the agent in Not Responding), `held`, `muted`.
   */
  updateAgentLeg(c: SimConversation, leg: SimParticipant, change: { state?: 'connected' | 'disconnected'; held?: boolean; muted?: boolean }): void {
    if (leg.purpose !== 'agent') throw new ActionRefused(400, 'Only agent legs take held, muted or connected here');
    if (leg.endTime) throw new ActionRefused(400, 'The participant is no longer on the call');
    this.batch(() => {
      if (change.state === 'connected' && leg.state === 'alerting') {
        if (!this.answer(c.id, leg.userId)) throw new ActionRefused(409, 'The call can no longer be answered');
      } else if (change.state === 'disconnected') {
        if (leg.state === 'alerting') this.decline(c, leg);
        else if (!this.agentHangUp(c.id)) throw new ActionRefused(409, 'The call has already ended');
        return;
      }
      if (change.held !== undefined || change.muted !== undefined) {
        if (leg.state !== 'connected') throw new ActionRefused(400, 'Only a connected call can be held or muted');
        if (change.held !== undefined && change.held !== leg.held) {
          leg.held = change.held;
          if (leg.held) leg.startHoldTime = this.o.clock.now();
          else delete leg.startHoldTime;
        }
        if (change.muted !== undefined) leg.muted = change.muted;
        this.touch(c);
      }
    });
  }

  /**
   * Blind transfer (`POST …/participants/{pid}/replace`): this agent's leg ends with
   * disconnectType `transfer` (user.end TRANSFER); a user target is offered the call at once, a
   * queue target queues it (acd.start) for the next free agent.
   */
  transfer(c: SimConversation, leg: SimParticipant, target: TransferTarget): void {
    if (leg.purpose !== 'agent' || leg.state !== 'connected' || leg.endTime) throw new ActionRefused(400, 'Only a connected agent can transfer the call');
    const toAgent = 'userId' in target ? this.agents.get(target.userId) : undefined;
    const toQueue = 'queueId' in target ? this.queues.find((q) => q.id === target.queueId) : undefined;
    if ('userId' in target) {
      if (!toAgent) throw new ActionRefused(404, `The user ${target.userId} was not found.`);
      if (toAgent.id === leg.userId) throw new ActionRefused(400, 'A call cannot be transferred to the agent who has it');
      if (!toAgent.loggedOn || toAgent.conversationId) throw new ActionRefused(400, 'The user is not available to take the call');
    } else if (!toQueue) {
      throw new ActionRefused(404, `The queue ${target.queueId} was not found.`);
    }
    this.batch(() => {
      this.endAgent(c, leg, 'transfer');
      if (toAgent) this.offer(c, toAgent, leg.queueId);
      else this.enterQueue(c, toQueue!);
    });
  }

  /** An alerting agent declines: the offer is withdrawn, the agent goes Not Responding, the call waits for another. */
  private decline(c: SimConversation, leg: SimParticipant): void {
    this.withdrawOffer(c, leg, 'client');
    const agent = leg.userId ? this.agents.get(leg.userId) : undefined;
    if (agent) agent.available = false;
    if (c.waitingSince !== undefined) this.routeWaiting();
    else this.agentlessTransferEnds(c);
  }

  /** A direct transfer nobody took: with no queue behind it the call ends, as when the agent hangs up. */
  private agentlessTransferEnds(c: SimConversation): void {
    if (this.liveAgentLegs(c).length === 0) this.endCustomer(c, 'peer', 'transfer not answered');
  }

  // ---- views --------------------------------------------------------------------------------

  private get queueLookup(): QueueLookup {
    return { all: this.queues, main: this.mainQueue };
  }

  /** the REST conversation; `asEvent`: the `v2.users.{id}.conversations` notification body */
  conversationView(c: SimConversation, asEvent = false): Record<string, unknown> {
    return conversationView(c, this.queueLookup, asEvent);
  }

  callView(c: SimConversation): Record<string, unknown> {
    return callView(c);
  }

  /** The `v2.users.{id}.conversations.calls` event body (`ConversationCallEventTopicCallConversation`). */
  callEventView(c: SimConversation): Record<string, unknown> {
    return callEventView(c, this.agents, this.queueLookup);
  }

  /** Analytics conversation detail (`AnalyticsConversationWithoutAttributes`). */
  analyticsView(c: SimConversation): Record<string, unknown> {
    return analyticsView(c, this.queueLookup);
  }
}

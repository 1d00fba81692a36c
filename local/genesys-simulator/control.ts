import { randomUUID } from 'node:crypto';
import type { GenesysSimulatorControl, MintedToken } from './options';
import type { SimulatorState } from './state';

/** A Genesys user token for an agent (or a made-up user in `divisionId`), as if the user had logged in. */
export function mintUserToken(s: SimulatorState, o: { userId?: string; divisionId?: string; expiresInSeconds?: number; clientId?: string } = {}): MintedToken {
  const agent = o.userId ? s.model.agents.get(o.userId) : undefined;
  const userId = o.userId ?? randomUUID();
  const divisionId = o.divisionId ?? agent?.divisionId ?? s.divisions[0]!.id;
  const { token, record } = s.tokens.issue({ kind: 'user', userId, divisionId, ...(o.clientId ? { clientId: o.clientId } : {}) }, o.expiresInSeconds ?? 3600);
  return { access_token: token, userId, divisionId, expiresAt: new Date(record.expiresAt).toISOString() };
}

/** The test and CLI handle on the simulator: script agents, calls, flow and faults; read state. */
export function createControl(s: SimulatorState): GenesysSimulatorControl {
  const { model, delivery } = s;
  const control: GenesysSimulatorControl = {
    addAgent: (agent = {}) => model.addAgent(agent),
    setAgentAvailable: (userId, available) => model.setAgentAvailable(userId, available),
    setAgentLoggedOn: (userId, loggedOn) => model.setAgentLoggedOn(userId, loggedOn),
    setAgentAutoAnswer: (userId, autoAnswer) => model.setAutoAnswer(userId, autoAnswer),
    setFlow(flow) {
      Object.assign(model.flow, flow);
      return { ...model.flow };
    },
    answer: (id, userId) => {
      const c = s.find(id);
      return c ? model.answer(c.id, userId) : false;
    },
    abandon: (id) => {
      const c = s.find(id);
      return c ? model.abandon(c.id) : false;
    },
    agentHangUp: (id) => {
      const c = s.find(id);
      return c ? model.agentHangUp(c.id) : false;
    },
    customerHangUp: (id) => {
      const c = s.find(id);
      return c ? model.customerHangUp(c.id, 'endpoint') : false;
    },
    mintUserToken: (o) => mintUserToken(s, o),
    setFaults(f) {
      s.faults.set(f);
      delivery.faults = f.events ?? {};
    },
    setRateLimit: (settings) => s.rateLimit.configure(settings),
    conversation: (id) => {
      const c = s.find(id);
      return c ? model.conversationView(c) : undefined;
    },
    conversations: () => [...model.conversations.values()].map((c) => model.conversationView(c)),
    events: () => [...delivery.log],
    eventsDelivered: () => delivery.idle(),
    flushHeldEvents: () => delivery.flushHeld(),
    state: () => ({
      orgId: s.orgId,
      queues: s.queues,
      divisions: s.divisions,
      flow: { ...model.flow },
      agents: [...model.agents.values()],
      waiting: model.waitingIn(model.mainQueue.id).map((c) => c.id),
      conversations: [...model.conversations.values()].map((c) => ({ id: c.id, aniName: c.aniName, ended: Boolean(c.endTime), releasedBy: c.releasedBy ?? null })),
      notifications: s.hub.stats(),
      rateLimit: { settings: s.rateLimit.current ?? null, refused: s.rateLimit.refused },
      events: { emitted: delivery.log.length, delivered: delivery.delivered, dropped: delivery.dropped, sinkFailures: delivery.failures },
    }),
  };
  return control;
}

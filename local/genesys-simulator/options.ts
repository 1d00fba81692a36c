import type { SipDestination } from '../../src/contracts/sip';
import type { Logger } from '../../src/logging/logger';
import type { SimClock } from './clock';
import type { EventBridgeEnvelope, EventFaults, EventSink, SinkRetry } from './eventbridge';
import type { BrowserClient } from './auth/browserClients';
import type { RateLimitSettings } from './http/rateLimit';
import type { FlowSettings, SimAgent, SimDivision, SimQueue } from './model';

/** Endpoint families a fault can be aimed at. */
export type SimEndpoint = 'token' | 'queues' | 'conversations' | 'estimatedWait' | 'analytics' | 'users' | 'notifications';

export interface ScriptedFault {
  status: number;
  /** how many requests get this answer */
  times: number;
  /** seconds, sent as `Retry-After` (429) */
  retryAfter?: number;
  /** hold the answer this long (beyond the client's timeout) */
  hangMs?: number;
}

export interface SimFaults {
  latencyMs?: number;
  /** probability of a 503 per endpoint family */
  errorRate?: Partial<Record<SimEndpoint, number>>;
  script?: Partial<Record<SimEndpoint, ScriptedFault[]>>;
  events?: EventFaults;
}

export interface GenesysSimulatorOptions {
  port?: number;
  host?: string;
  clock?: SimClock;
  random?: () => number;
  logger?: Logger;
  /** OAuth clients for the client-credentials grant; one is generated when absent */
  clients?: { clientId: string; clientSecret: string }[];
  tokenLifetimeSeconds?: number;
  /** how often each notification WebSocket gets Genesys's heartbeat (`channel.metadata`); default 30 s */
  heartbeatMs?: number;
  /**
   * The Agent App's interaction-widget URL template, with Genesys's placeholders
   * (`{{pcConversationId}}`, `{{gcHostOrigin}}`, `{{gcTargetEnv}}`, `{{pcLangTag}}`,
   * `{{pcEnvironment}}`); the desktop shows it in an iframe for conversations on `videoQueues`.
   * Empty (default): no widget.
   */
  widgetUrl?: string;
  /** names of the queues whose conversations show the widget (the widget's queue filter); default the main queue */
  videoQueues?: string[];
  /** `{{gcTargetEnv}}`; default `sim` */
  targetEnv?: string;
  /** `{{pcEnvironment}}`; default the simulator's `host:port` */
  pcEnvironment?: string;
  /** `{{pcLangTag}}` when the desktop URL has no `lang`; default `en-us` */
  langTag?: string;
  /** origins whose browser calls get CORS answers; absent: any loopback origin */
  corsOrigins?: string[];
  /** public OAuth clients for browser apps (implicit and PKCE); one allowing any loopback redirect URI when absent */
  browserClients?: BrowserClient[];
  queueName?: string;
  /** agents created busy (logged on, not offered calls) so calls wait until the test frees one */
  agentsBusy?: boolean;
  /** more queues, e.g. a decoy whose name starts like the real one */
  extraQueues?: string[];
  /** divisions; the first is the queue's and the default agents' (an allowed one) */
  divisions?: SimDivision[];
  agents?: number;
  answerDelayMs?: number;
  /** agents answer offered calls by themselves after `answerDelayMs` (default); false: the call alerts until Answer */
  autoAnswer?: boolean;
  flowDelayMs?: number;
  abandonAfterMs?: number;
  flow?: Partial<FlowSettings>;
  /** the SIP address Pexip must dial; calls to another address are refused with 404 */
  sipUri?: string;
  averageHandleSeconds?: number;
  eventSink?: EventSink;
  /** retries of a failing sink before an envelope is dropped; default 6 attempts from 100 ms */
  sinkRetry?: SinkRetry;
  faults?: SimFaults;
  /**
   * Genesys's per-token request limit (and per-client token grants), answered with 429 and
   * `Retry-After`. Off unless set, or unless `productionLike`; `false` turns it off even then.
   */
  rateLimit?: RateLimitSettings | false;
  /** Genesys's default limits (300 requests a minute per token, 300 grants a minute per client) */
  productionLike?: boolean;
}

export interface MintedToken {
  access_token: string;
  userId: string;
  divisionId: string;
  expiresAt: string;
}

export interface GenesysSimulatorControl {
  addAgent(agent?: { id?: string; name?: string; divisionId?: string; available?: boolean }): SimAgent;
  /** idle (offered calls) or busy; either way logged on */
  setAgentAvailable(userId: string, available: boolean): SimAgent | undefined;
  /** whether the agent picks up offered calls by itself (after the answer delay) or waits for Answer */
  setAgentAutoAnswer(userId: string, autoAnswer: boolean): SimAgent | undefined;
  /** logs an agent on or off (the flow releases calls when nobody is logged on) */
  setAgentLoggedOn(userId: string, loggedOn: boolean): SimAgent | undefined;
  setFlow(flow: Partial<FlowSettings>): FlowSettings;
  /** answers a waiting conversation now (by a given agent, or the one it was offered to / any free one) */
  answer(conversationIdOrRoom: string, userId?: string): boolean;
  abandon(conversationIdOrRoom: string): boolean;
  agentHangUp(conversationIdOrRoom: string): boolean;
  customerHangUp(conversationIdOrRoom: string): boolean;
  /** a Genesys user token for an agent (or a made-up user in `divisionId`), as if logged in through app `clientId` */
  mintUserToken(options?: { userId?: string; divisionId?: string; expiresInSeconds?: number; clientId?: string }): MintedToken;
  setFaults(faults: SimFaults): void;
  /** changes (or, with undefined, lifts) the per-token rate limit; counting starts afresh */
  setRateLimit(settings: RateLimitSettings | undefined): void;
  conversation(conversationIdOrRoom: string): Record<string, unknown> | undefined;
  conversations(): Record<string, unknown>[];
  /** every envelope emitted so far (before faults) */
  events(): EventBridgeEnvelope[];
  /** waits until the sink has been handed every envelope emitted so far */
  eventsDelivered(): Promise<void>;
  flushHeldEvents(): void;
  state(): Record<string, unknown>;
}

export interface GenesysSimulator {
  url: string;
  /** `host:port`, the value for `GENESYS_API_BASE_URL` is `url` */
  orgId: string;
  queue: SimQueue;
  divisions: SimDivision[];
  clients: { clientId: string; clientSecret: string }[];
  /** the public clients the Agent App can log in with (`loginImplicitGrant`, `loginPKCEGrant`) */
  browserClients: BrowserClient[];
  sipUri: string;
  /** the simulated agent desktop; `?agent=<userId>` logs that agent in */
  desktopUrl: string;
  sipDestination: SipDestination;
  setEventSink(sink: EventSink | undefined): void;
  control: GenesysSimulatorControl;
  /** the env overrides that point MaxConf at this simulator */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

import type { JSONWebKeySet } from 'jose';
import type { SipDestination } from '../../src/contracts/sip';
import type { Logger } from '../../src/logging/logger';
import type { SimClock } from './clock';
import type { Participant, Vmr } from './model';
import type { AllowedOrigins } from './cors';
import type { PeerView } from './media/types';
import type { RateLimit } from './rateLimit';
import type { SinkDelivery, SinkFaults } from './sink';

/** The API families a fault can be aimed at. */
export type SimEndpoint = 'configuration' | 'command' | 'status' | 'token' | 'client';

export interface ScriptedFault {
  status: number;
  /** how many requests get this answer */
  times: number;
  retryAfter?: string;
  /** hold the answer this long (exceed the client's timeout) */
  hangMs?: number;
}

export interface SimFaults {
  /** added to every answer */
  latencyMs?: number;
  /** probability of a 503 per endpoint family */
  errorRate?: Partial<Record<SimEndpoint, number>>;
  /** deterministic answers for the next requests of an endpoint family, in order */
  script?: Partial<Record<SimEndpoint, ScriptedFault[]>>;
  sink?: SinkFaults;
}

export interface PexipSimulatorOptions {
  port?: number;
  host?: string;
  /** Basic credentials of the management API */
  basic?: { username: string; password: string };
  /** OAuth2 clients allowed on `/oauth/token/`: client id → its public key (JWK set) */
  oauthClients?: Record<string, JSONWebKeySet>;
  oauthTokenLifetimeSeconds?: number;
  clock?: SimClock;
  /** how long configuration takes to reach the conferencing nodes: Pexip ~90 s; 0 for fast tests */
  propagationDelayMs?: number;
  /** the management API's rate limit (429 with Retry-After past it); none by default */
  managementRateLimit?: RateLimit;
  tokenExpiresSeconds?: number;
  lastHostTimeoutMs?: number;
  /** conferencing node addresses; each hosting node reports its own conference_started/ended */
  nodes?: string[];
  sipDestination?: SipDestination;
  /** browser origins the client API answers CORS for; default any page on localhost */
  allowedOrigins?: AllowedOrigins;
  faults?: SimFaults;
  /** false: no WebRTC peers, every call gets a plausible media-less answer (default: real peers for real offers) */
  media?: boolean;
  random?: () => number;
  logger?: Logger;
}

export interface PexipSimulator {
  /** base URL of the management node AND the conferencing node (`host` for @pexip/infinity-api) */
  url: string;
  username: string;
  password: string;
  setEventSink(url: string | undefined, credentials?: { username: string; password: string }, options?: { bulk?: boolean }): void;
  /** The sink restarted: `seq` starts at 1 again for every node. */
  restartEventSink(): void;
  sipDestination: SipDestination | undefined;
  setSipDestination(destination: SipDestination | undefined): void;
  setFaults(faults: SimFaults): void;
  setPropagationDelay(ms: number): void;
  setManagementRateLimit(limit: RateLimit | undefined): void;
  /** every VMR, as the configuration API stores it */
  rooms(): Vmr[];
  participants(roomName: string): Participant[];
  /** drops a participant as a network failure would */
  dropParticipant(participantId: string, reason?: string): void;
  /** a running conference's participants and the media each leg sent (`GET /_sim/rooms/{alias}` shows the same) */
  inspectRoom(alias: string): RoomInspection | undefined;
  /** every POST the sink has answered */
  sinkDeliveries(): SinkDelivery[];
  /** resolves once every queued sink event has been posted */
  flushEvents(): Promise<void>;
  /** requests the simulator has served, per endpoint family */
  requestCounts(): Record<SimEndpoint, number>;
  /** management requests answered 429 by the rate limit */
  rateLimited(): number;
  stop(): Promise<void>;
}

export interface RoomInspection {
  name: string;
  participants: {
    uuid: string;
    displayName: string;
    role: string;
    protocol: string;
    state: string;
    hasMedia: boolean;
    isMuted: boolean;
    isVideoMuted: boolean;
    isClientMuted: boolean;
    /** null for a leg with no WebRTC peer (SIP, or a media-less API call) */
    media: PeerView | null;
  }[];
}

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SipDestination } from '../../src/contracts/sip';
import type { Logger } from '../../src/logging/logger';
import { realClock, type SimClock } from './clock';
import { EventDelivery, toEnvelope, type EventBridgeEnvelope, type EventFaults, type EventSink, type SinkRetry } from './eventbridge';
import { GenesysModel, type FlowSettings, type SimAgent, type SimConversation, type SimDivision, type SimQueue } from './model';

export { manualClock, realClock } from './clock';
export type { ManualClock, SimClock } from './clock';
export type { EventBridgeEnvelope, EventFaults, EventSink, SinkRetry } from './eventbridge';
export type { FlowSettings, SimAgent, SimDivision, SimQueue } from './model';

/** Endpoint families a fault can be aimed at. */
export type SimEndpoint = 'token' | 'queues' | 'conversations' | 'estimatedWait' | 'analytics' | 'users';

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
  queueName?: string;
  /** agents created busy (logged on, not offered calls) so calls wait until the test frees one */
  agentsBusy?: boolean;
  /** more queues, e.g. a decoy whose name starts like the real one */
  extraQueues?: string[];
  /** divisions; the first is the queue's and the default agents' (an allowed one) */
  divisions?: SimDivision[];
  agents?: number;
  answerDelayMs?: number;
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
  /** logs an agent on or off (the flow releases calls when nobody is logged on) */
  setAgentLoggedOn(userId: string, loggedOn: boolean): SimAgent | undefined;
  setFlow(flow: Partial<FlowSettings>): FlowSettings;
  /** answers a waiting conversation now (by a given agent, or the one it was offered to / any free one) */
  answer(conversationIdOrRoom: string, userId?: string): boolean;
  abandon(conversationIdOrRoom: string): boolean;
  agentHangUp(conversationIdOrRoom: string): boolean;
  customerHangUp(conversationIdOrRoom: string): boolean;
  /** a Genesys user token for an agent (or a made-up user in `divisionId`) */
  mintUserToken(options?: { userId?: string; divisionId?: string; expiresInSeconds?: number }): MintedToken;
  setFaults(faults: SimFaults): void;
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
  sipUri: string;
  sipDestination: SipDestination;
  setEventSink(sink: EventSink | undefined): void;
  control: GenesysSimulatorControl;
  /** the env overrides that point MaxConf at this simulator */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

interface TokenRecord {
  kind: 'client' | 'user';
  expiresAt: number;
  userId?: string;
  divisionId?: string;
  clientId?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const DEFAULT_DIVISIONS: SimDivision[] = [
  { id: '1d6a5c1e-0c8e-4c4e-9d7b-5bc0a1b2c3d4', name: 'SBC' },
  { id: '7f3e2d1c-4b5a-4c6d-8e9f-0a1b2c3d4e5f', name: 'Home' },
];

function errorBody(status: number, code: string, message: string) {
  return { message, code, status, contextId: randomUUID(), details: [], errors: [] };
}

/** Starts the Genesys Cloud simulator: OAuth, the Platform API subset MaxConf uses, SIP in, EventBridge out. */
export async function startGenesysSimulator(options: GenesysSimulatorOptions = {}): Promise<GenesysSimulator> {
  const clock = options.clock ?? realClock();
  const random = options.random ?? Math.random;
  const log = options.logger?.child({ component: 'genesys-simulator' });
  const orgId = randomUUID();
  const divisions = options.divisions ?? DEFAULT_DIVISIONS;
  const queueName = options.queueName ?? 'SBC_VBV_TEST';
  const queues: SimQueue[] = [queueName, ...(options.extraQueues ?? [`${queueName}_OVERFLOW`])].map((name) => ({
    id: randomUUID(),
    name,
    divisionId: divisions[0]!.id,
  }));
  const sipUri = options.sipUri ?? `sip:${queueName.toLowerCase()}@byoc.sim.invalid`;
  const clients = options.clients ?? [{ clientId: randomUUID(), clientSecret: randomBytes(24).toString('base64url') }];
  const tokens = new Map<string, TokenRecord>();
  let faults: SimFaults = { ...options.faults };
  const scripts = new Map<SimEndpoint, ScriptedFault[]>();
  const loadScripts = (f: SimFaults) => {
    scripts.clear();
    for (const [k, v] of Object.entries(f.script ?? {})) scripts.set(k as SimEndpoint, v.map((s) => ({ ...s })));
  };
  loadScripts(faults);
  const delivery = new EventDelivery(options.eventSink, faults.events ?? {}, random, options.sinkRetry);
  const model = new GenesysModel({
    clock,
    orgId,
    queues,
    divisions,
    flow: { holiday: false, open: true, releaseWhenNoAgents: true, ...options.flow },
    flowDelayMs: options.flowDelayMs ?? 0,
    answerDelayMs: options.answerDelayMs ?? 2000,
    abandonAfterMs: options.abandonAfterMs,
    sipUri,
    averageHandleSeconds: options.averageHandleSeconds ?? 240,
    emit: (record) => delivery.publish(toEnvelope(record, orgId, clock)),
  });
  for (let i = 0; i < (options.agents ?? 1); i++) model.addAgent({ available: !options.agentsBusy });

  const find = (idOrRoom: string): SimConversation | undefined =>
    model.conversations.get(idOrRoom) ??
    [...model.conversations.values()].reverse().find((c) => c.aniName === idOrRoom || model.customer(c).attributes.maxconfSessionId === idOrRoom);

  function mintUserToken(o: { userId?: string; divisionId?: string; expiresInSeconds?: number } = {}): MintedToken {
    const agent = o.userId ? model.agents.get(o.userId) : undefined;
    const userId = o.userId ?? randomUUID();
    const divisionId = o.divisionId ?? agent?.divisionId ?? divisions[0]!.id;
    const expiresAt = clock.now() + (o.expiresInSeconds ?? 3600) * 1000;
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { kind: 'user', userId, divisionId, expiresAt });
    return { access_token: token, userId, divisionId, expiresAt: new Date(expiresAt).toISOString() };
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  function authenticate(req: IncomingMessage): TokenRecord {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new HttpError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.');
    const record = tokens.get(m[1]!);
    if (!record) throw new HttpError(401, 'bad.credentials', 'Invalid login credentials.');
    if (record.expiresAt <= clock.now()) throw new HttpError(401, 'bad.credentials', 'Access token has expired.');
    return record;
  }

  function applyFaults(endpoint: SimEndpoint): { hangMs?: number } {
    const queue = scripts.get(endpoint);
    const next = queue?.[0];
    if (next) {
      next.times--;
      if (next.times <= 0) queue.shift();
      if (next.hangMs) return { hangMs: next.hangMs };
      const headers: Record<string, string> = next.retryAfter !== undefined ? { 'retry-after': String(next.retryAfter) } : {};
      const message = next.status === 429 ? `Rate limit exceeded the maximum. Retry in ${next.retryAfter ?? 1} seconds` : 'Simulated failure';
      throw new HttpError(next.status, next.status === 429 ? 'too.many.requests' : 'internal.server.error', message, headers);
    }
    if (random() < (faults.errorRate?.[endpoint] ?? 0)) throw new HttpError(503, 'service.unavailable', 'Simulated outage');
    return {};
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1024 * 1024) throw new HttpError(413, 'request.entity.too.large', 'Request too large');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function json(body: string): Record<string, unknown> {
    if (!body) return {};
    try {
      const v = JSON.parse(body) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // answered below
    }
    throw new HttpError(400, 'bad.request', 'The request could not be understood by the server due to malformed syntax.');
  }

  function conversationOr404(id: string): SimConversation {
    const c = model.conversations.get(id);
    if (!c) throw new HttpError(404, 'not.found', `The conversation ${id} was not found.`);
    return c;
  }

  type Route = { method: string; pattern: RegExp; endpoint?: SimEndpoint; handle: (m: RegExpExecArray, req: IncomingMessage, url: URL, body: string) => { status: number; body?: unknown } };

  const api = (record: TokenRecord | undefined, needUser = false) => {
    if (needUser && record?.kind !== 'user') {
      throw new HttpError(400, 'bad.request', 'This request requires a user context. Client credentials cannot be used for requests to this resource.');
    }
  };

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/oauth\/token$/,
      endpoint: 'token',
      handle: (_m, req, _url, body) => {
        const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
        const form = new URLSearchParams(body);
        const client = clients.find((c) => c.clientId === id && c.clientSecret === secret);
        if (!client) return { status: 401, body: { error: 'invalid_client', description: 'client not found', error_description: 'client not found' } };
        if (form.get('grant_type') !== 'client_credentials') {
          return { status: 400, body: { error: 'unsupported_grant_type', description: 'grant type not supported', error_description: 'grant type not supported' } };
        }
        const lifetime = options.tokenLifetimeSeconds ?? 86400;
        const token = randomBytes(32).toString('base64url');
        tokens.set(token, { kind: 'client', clientId: client.clientId, expiresAt: clock.now() + lifetime * 1000 });
        return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: lifetime } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/routing\/queues$/,
      endpoint: 'queues',
      handle: (_m, _req, url) => {
        const name = (url.searchParams.get('name') ?? '').replace(/^\*+|\*+$/g, '').toLowerCase();
        const pageSize = Math.min(500, Number(url.searchParams.get('pageSize') ?? 25) || 25);
        const pageNumber = Math.max(1, Number(url.searchParams.get('pageNumber') ?? 1) || 1);
        // Genesys's name filter is a partial match; MaxConf must pick the exact name itself.
        const all = queues.filter((q) => q.name.toLowerCase().startsWith(name)).sort((a, b) => b.name.localeCompare(a.name));
        const entities = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((q) => ({
          id: q.id,
          name: q.name,
          division: { id: q.divisionId, selfUri: `/api/v2/authorization/divisions/${q.divisionId}` },
          memberCount: model.agents.size,
          selfUri: `/api/v2/routing/queues/${q.id}`,
        }));
        const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
        return {
          status: 200,
          body: { entities, pageSize, pageNumber, total: all.length, pageCount, selfUri: `/api/v2/routing/queues?pageSize=${pageSize}&pageNumber=${pageNumber}` },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/routing\/queues\/([^/]+)\/estimatedwaittime$/,
      endpoint: 'estimatedWait',
      handle: (m, _req, url) => {
        const queue = queues.find((q) => q.id === m[1]);
        if (!queue) throw new HttpError(404, 'not.found', 'Queue not found');
        const conversationId = url.searchParams.get('conversationId') ?? undefined;
        if (conversationId) conversationOr404(conversationId);
        return {
          status: 200,
          body: { results: [{ intent: 'ESTIMATED_WAIT_TIME', formula: 'BEST', estimatedWaitTimeSeconds: model.estimatedWaitSeconds(queue.id, conversationId) }] },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/conversations\/calls\/([^/]+)$/,
      endpoint: 'conversations',
      handle: (m) => ({ status: 200, body: model.callView(conversationOr404(m[1]!)) }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/conversations\/([^/]+)$/,
      endpoint: 'conversations',
      handle: (m) => ({ status: 200, body: model.conversationView(conversationOr404(m[1]!)) }),
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/v2\/conversations\/calls\/([^/]+)\/participants\/([^/]+)$/,
      endpoint: 'conversations',
      handle: (m, _req, _url, body) => {
        const c = conversationOr404(m[1]!);
        const p = c.participants.find((x) => x.id === m[2]);
        if (!p) throw new HttpError(404, 'not.found', 'Participant not found');
        const request = json(body);
        if (request.state !== undefined && request.state !== 'disconnected') {
          throw new HttpError(400, 'bad.request', 'Only state "disconnected" is supported by this simulator');
        }
        if (request.state === 'disconnected' && !p.endTime) {
          if (p.purpose === 'customer') model.customerHangUp(c.id, 'client');
          else if (p.purpose === 'agent') model.agentHangUp(c.id);
          else throw new HttpError(400, 'bad.request', 'Only customer and agent legs can be disconnected here');
        }
        return { status: 202 };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/v2\/conversations\/(?:calls\/)?([^/]+)\/participants\/([^/]+)\/attributes$/,
      endpoint: 'conversations',
      handle: (m, _req, _url, body) => {
        const c = conversationOr404(m[1]!);
        const p = c.participants.find((x) => x.id === m[2]);
        if (!p) throw new HttpError(404, 'not.found', 'Participant not found');
        const attributes = json(body).attributes;
        if (!attributes || typeof attributes !== 'object' || Object.values(attributes).some((v) => typeof v !== 'string')) {
          throw new HttpError(400, 'bad.request', 'attributes must be an object of strings');
        }
        model.setAttributes(c, p, attributes as Record<string, string>);
        return { status: 202 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v2\/conversations\/([^/]+)\/disconnect$/,
      endpoint: 'conversations',
      handle: (m) => {
        const c = conversationOr404(m[1]!);
        model.customerHangUp(c.id, 'client');
        return { status: 202, body: '' };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v2\/analytics\/conversations\/details\/query$/,
      endpoint: 'analytics',
      handle: (_m, _req, _url, body) => ({ status: 200, body: analyticsQuery(json(body)) }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/me$/,
      endpoint: 'users',
      handle: () => {
        throw new Error('handled with the token record');
      },
    },
  ];

  function analyticsQuery(q: Record<string, unknown>) {
    const interval = typeof q.interval === 'string' ? q.interval.split('/') : [];
    const from = Date.parse(interval[0] ?? '');
    const to = Date.parse(interval[1] ?? '');
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new HttpError(400, 'bad.request', 'interval is required');
    const predicates = (filters: unknown) =>
      (Array.isArray(filters) ? filters : []).flatMap((f) => (Array.isArray((f as { predicates?: unknown }).predicates) ? (f as { predicates: Record<string, string>[] }).predicates : []));
    const conv = predicates(q.conversationFilters);
    const seg = predicates(q.segmentFilters);
    const openOnly = conv.some((p) => p.dimension === 'conversationEnd' && p.operator === 'notExists');
    const queueId = seg.find((p) => p.dimension === 'queueId')?.value;
    const purpose = seg.find((p) => p.dimension === 'purpose')?.value;
    const paging = (q.paging ?? { pageSize: 25, pageNumber: 1 }) as { pageSize: number; pageNumber: number };
    const matching = [...model.conversations.values()]
      .filter((c) => c.startTime <= to && (c.endTime ?? Infinity) >= from)
      .filter((c) => !openOnly || !c.endTime)
      .filter((c) => c.participants.some((p) => (!queueId || p.queueId === queueId) && (!purpose || p.purpose === purpose)))
      .sort((a, b) => (q.order === 'desc' ? b.startTime - a.startTime : a.startTime - b.startTime));
    const size = Math.min(100, paging.pageSize || 25);
    const page = matching.slice((Math.max(1, paging.pageNumber) - 1) * size, Math.max(1, paging.pageNumber) * size);
    return { conversations: page.map((c) => model.analyticsView(c)), totalHits: matching.length };
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), 'inin-correlation-id': randomUUID(), ...headers });
      res.end(text);
    };
    try {
      const body = await readBody(req);
      if (url.pathname.startsWith('/sim/')) {
        const out = controlApi(req.method ?? 'GET', url, body);
        send(out.status, out.body);
        return;
      }
      if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
      const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route) throw new HttpError(404, 'not.found', `No route for ${req.method} ${url.pathname}`);
      const m = route.pattern.exec(url.pathname)!;
      if (route.endpoint) {
        const { hangMs } = applyFaults(route.endpoint);
        if (hangMs) {
          await new Promise((r) => setTimeout(r, hangMs));
          if (res.destroyed) return;
        }
      }
      if (route.endpoint === 'token') {
        const out = route.handle(m, req, url, body);
        send(out.status, out.body);
        return;
      }
      const record = authenticate(req);
      if (route.endpoint === 'users') {
        api(record, true);
        send(200, {
          id: record.userId,
          name: model.agents.get(record.userId!)?.name ?? 'Simulated User',
          division: { id: record.divisionId, name: divisions.find((d) => d.id === record.divisionId)?.name ?? 'Other', selfUri: `/api/v2/authorization/divisions/${record.divisionId}` },
          state: 'active',
          username: `${record.userId}@example.invalid`,
          version: 1,
          selfUri: `/api/v2/users/${record.userId}`,
        });
        return;
      }
      const out = route.handle(m, req, url, body);
      send(out.status, out.body);
    } catch (error) {
      if (error instanceof HttpError) {
        send(error.status, errorBody(error.status, error.code, error.message), error.headers);
      } else {
        log?.error({ err: error instanceof Error ? error.message : String(error) }, 'simulator error');
        send(500, errorBody(500, 'internal.server.error', 'The server encountered an unexpected condition.'));
      }
    }
  }

  function controlApi(method: string, url: URL, body: string): { status: number; body?: unknown } {
    const p = url.pathname.replace(/^\/sim/, '');
    const input = body ? json(body) : {};
    const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
    const ok = (done: boolean) => (done ? { status: 200, body: { ok: true } } : { status: 409, body: { ok: false } });
    let m: RegExpExecArray | null;
    if (method === 'GET' && p === '/state') return { status: 200, body: control.state() };
    if (method === 'GET' && p === '/events') return { status: 200, body: control.events() };
    if (method === 'POST' && p === '/agents') return { status: 201, body: control.addAgent({ ...(str('id') ? { id: str('id') } : {}), ...(str('name') ? { name: str('name') } : {}), ...(str('divisionId') ? { divisionId: str('divisionId') } : {}) }) };
    if (method === 'POST' && (m = /^\/agents\/([^/]+)\/(available|busy|logoff)$/.exec(p))) {
      const a = m[2] === 'logoff' ? control.setAgentLoggedOn(m[1]!, false) : control.setAgentAvailable(m[1]!, m[2] === 'available');
      return a ? { status: 200, body: a } : { status: 404, body: { ok: false } };
    }
    if (method === 'POST' && p === '/flow') return { status: 200, body: control.setFlow(input as Partial<FlowSettings>) };
    if (method === 'POST' && p === '/faults') {
      control.setFaults(input as SimFaults);
      return { status: 200, body: { ok: true } };
    }
    if (method === 'POST' && p === '/tokens') {
      const expires = typeof input.expiresInSeconds === 'number' ? input.expiresInSeconds : undefined;
      return { status: 201, body: control.mintUserToken({ ...(str('userId') ? { userId: str('userId') } : {}), ...(str('divisionId') ? { divisionId: str('divisionId') } : {}), ...(expires !== undefined ? { expiresInSeconds: expires } : {}) }) };
    }
    if (method === 'GET' && (m = /^\/conversations\/([^/]+)$/.exec(p))) {
      const c = control.conversation(decodeURIComponent(m[1]!));
      return c ? { status: 200, body: c } : { status: 404, body: { ok: false } };
    }
    if (method === 'POST' && (m = /^\/conversations\/([^/]+)\/(answer|abandon|agent-hangup|customer-hangup)$/.exec(p))) {
      const id = decodeURIComponent(m[1]!);
      switch (m[2]) {
        case 'answer':
          return ok(control.answer(id, str('userId')));
        case 'abandon':
          return ok(control.abandon(id));
        case 'agent-hangup':
          return ok(control.agentHangUp(id));
        default:
          return ok(control.customerHangUp(id));
      }
    }
    return { status: 404, body: { ok: false, error: `no control route ${method} ${p}` } };
  }

  const control: GenesysSimulatorControl = {
    addAgent: (agent = {}) => model.addAgent(agent),
    setAgentAvailable: (userId, available) => model.setAgentAvailable(userId, available),
    setAgentLoggedOn: (userId, loggedOn) => model.setAgentLoggedOn(userId, loggedOn),
    setFlow(flow) {
      Object.assign(model.flow, flow);
      return { ...model.flow };
    },
    answer: (id, userId) => {
      const c = find(id);
      return c ? model.answer(c.id, userId) : false;
    },
    abandon: (id) => {
      const c = find(id);
      return c ? model.abandon(c.id) : false;
    },
    agentHangUp: (id) => {
      const c = find(id);
      return c ? model.agentHangUp(c.id) : false;
    },
    customerHangUp: (id) => {
      const c = find(id);
      return c ? model.customerHangUp(c.id, 'endpoint') : false;
    },
    mintUserToken,
    setFaults(f) {
      faults = { ...f };
      loadScripts(faults);
      delivery.faults = faults.events ?? {};
    },
    conversation: (id) => {
      const c = find(id);
      return c ? model.conversationView(c) : undefined;
    },
    conversations: () => [...model.conversations.values()].map((c) => model.conversationView(c)),
    events: () => [...delivery.log],
    eventsDelivered: () => delivery.idle(),
    flushHeldEvents: () => delivery.flushHeld(),
    state: () => ({
      orgId,
      queues,
      divisions,
      flow: { ...model.flow },
      agents: [...model.agents.values()],
      waiting: model.waitingIn(model.mainQueue.id).map((c) => c.id),
      conversations: [...model.conversations.values()].map((c) => ({ id: c.id, aniName: c.aniName, ended: Boolean(c.endTime), releasedBy: c.releasedBy ?? null })),
      events: { emitted: delivery.log.length, delivered: delivery.delivered, dropped: delivery.dropped, sinkFailures: delivery.failures },
    }),
  };

  const sipDestination: SipDestination = {
    async invite(invite, caller) {
      const outcome = model.invite(invite, caller);
      if (!outcome.ok) return { answered: false, status: outcome.status, reason: outcome.reason };
      const conversationId = outcome.conversation.id;
      return { answered: true, dialogue: { hangUp: () => void model.customerHangUp(conversationId, 'endpoint') } };
    },
  };

  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  log?.info({ url }, 'Genesys simulator listening');

  return {
    url,
    orgId,
    queue: queues[0]!,
    divisions,
    clients,
    sipUri,
    sipDestination,
    setEventSink: (sink) => delivery.setSink(sink),
    control,
    env: () => ({
      GENESYS_CLIENT_ID: clients[0]!.clientId,
      GENESYS_CLIENT_SECRET: clients[0]!.clientSecret,
      GENESYS_API_BASE_URL: url,
      GENESYS_SIP_URI: sipUri,
      GENESYS_QUEUE_NAME: queueName,
      GENESYS_ALLOWED_DIVISIONS: divisions[0]!.id,
    }),
    async stop() {
      model.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

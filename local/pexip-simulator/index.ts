import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { SipDestination } from '../../src/contracts/sip';
import type { Logger } from '../../src/logging/logger';
import { realClock, type SimClock } from './clock';
import { PexipModel, type Participant, type Vmr } from './model';
import { EventSinkPoster, type SinkDelivery, type SinkFaults } from './sink';

export { manualClock, realClock } from './clock';
export type { ManualClock, SimClock } from './clock';
export type { SinkFaults, SinkDelivery, SinkEnvelope } from './sink';

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
  tokenExpiresSeconds?: number;
  lastHostTimeoutMs?: number;
  /** conferencing node addresses; each hosting node reports its own conference_started/ended */
  nodes?: string[];
  sipDestination?: SipDestination;
  faults?: SimFaults;
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
  /** every VMR, as the configuration API stores it */
  rooms(): Vmr[];
  participants(roomName: string): Participant[];
  /** drops a participant as a network failure would */
  dropParticipant(participantId: string, reason?: string): void;
  /** every POST the sink has answered */
  sinkDeliveries(): SinkDelivery[];
  /** resolves once every queued sink event has been posted */
  flushEvents(): Promise<void>;
  /** requests the simulator has served, per endpoint family */
  requestCounts(): Record<SimEndpoint, number>;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
  }
}

const CONFIG = '/api/admin/configuration/v1/conference/';
const MAX_BODY = 1_000_000;

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, { error: 'request too large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, { error: 'request body is not a JSON object' });
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v));

function answerSdp(offer: string): string {
  // a syntactically plausible answer built from the offer: same media sections, passive DTLS role
  const lines = offer.split(/\r?\n/).filter(Boolean);
  const out = lines.map((l) => (l.startsWith('a=setup:') ? 'a=setup:passive' : l.startsWith('o=') ? `o=- ${Date.now()} 1 IN IP4 127.0.0.1` : l));
  return `${out.join('\r\n')}\r\n`;
}

/** Starts a Pexip Infinity management + conferencing node stand-in on a local port. */
export async function startPexipSimulator(options: PexipSimulatorOptions = {}): Promise<PexipSimulator> {
  const clock = options.clock ?? realClock();
  const random = options.random ?? Math.random;
  const basic = options.basic ?? { username: 'admin', password: randomBytes(12).toString('base64url') };
  const oauthLifetime = options.oauthTokenLifetimeSeconds ?? 3600;
  const nodes = options.nodes ?? ['10.44.0.11'];
  let faults: SimFaults = options.faults ?? {};
  let sipDestination = options.sipDestination;
  const bearerTokens = new Map<string, number>();
  const counts: Record<SimEndpoint, number> = { configuration: 0, command: 0, status: 0, token: 0, client: 0 };
  const sink = new EventSinkPoster(() => clock.now(), random);
  sink.registerNodes(nodes);
  sink.faults = faults.sink ?? {};
  const sseResponses = new Set<ServerResponse>();

  let baseUrl = '';
  const model = new PexipModel({
    clock,
    propagationDelayMs: options.propagationDelayMs ?? 0,
    tokenExpiresSeconds: options.tokenExpiresSeconds ?? 120,
    lastHostTimeoutMs: options.lastHostTimeoutMs ?? 60_000,
    nodes,
    nodeHostname: 'conference.simulated.pexip',
    get sipDestination() {
      return sipDestination;
    },
    emit: (node, event, data) => sink.enqueue(node, event, data),
  });

  function endpointOf(path: string): SimEndpoint | undefined {
    if (path.startsWith('/api/admin/configuration/')) return 'configuration';
    if (path.startsWith('/api/admin/command/')) return 'command';
    if (path.startsWith('/api/admin/status/')) return 'status';
    if (path === '/oauth/token/' || path === '/oauth/token') return 'token';
    if (path.startsWith('/api/client/v2/')) return 'client';
    return undefined;
  }

  function authenticateAdmin(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (equalSecret(user ?? '', basic.username) && equalSecret(rest.join(':'), basic.password)) return;
    } else if (header.startsWith('Bearer ')) {
      const expiry = bearerTokens.get(header.slice(7));
      if (expiry !== undefined && expiry > clock.now()) return;
    }
    throw new HttpError(401, { error: 'Authentication credentials were not provided or are invalid.' }, { 'www-authenticate': 'Basic realm="Pexip"' });
  }

  async function issueOAuthToken(body: string): Promise<unknown> {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') throw new HttpError(400, { error: 'unsupported_grant_type' });
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') throw new HttpError(400, { error: 'invalid_request' });
    const assertion = form.get('client_assertion') ?? '';
    const unverified = (() => {
      try {
        return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string };
      } catch {
        return {};
      }
    })();
    const jwks = unverified.iss ? options.oauthClients?.[unverified.iss] : undefined;
    if (!jwks || !unverified.iss) throw new HttpError(401, { error: 'invalid_client' });
    try {
      await jwtVerify(assertion, createLocalJWKSet(jwks), {
        algorithms: ['ES256'],
        issuer: unverified.iss,
        subject: unverified.iss,
        audience: `${baseUrl}/oauth/token/`,
        currentDate: new Date(clock.now()),
      });
    } catch {
      throw new HttpError(401, { error: 'invalid_client' });
    }
    const token = randomBytes(24).toString('base64url');
    bearerTokens.set(token, clock.now() + oauthLifetime * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: oauthLifetime, scope: '' };
  }

  function vmrView(v: Vmr): Record<string, unknown> {
    return {
      id: v.id,
      name: v.name,
      service_type: v.service_type,
      allow_guests: v.allow_guests,
      pin: v.pin,
      guest_pin: v.guest_pin,
      tag: v.tag,
      description: v.description,
      aliases: v.aliases,
      automatic_participants: [],
      call_type: 'video',
      creation_time: v.creation_time,
      crypto_mode: '',
      guest_view: null,
      host_view: 'one_main_seven_pips',
      max_callrate_in: null,
      max_callrate_out: null,
      participant_limit: null,
      resource_uri: v.resource_uri,
    };
  }

  function paged(path: string, query: URLSearchParams, objects: Record<string, unknown>[]): unknown {
    const limitParam = Number(query.get('limit') ?? '20');
    const limit = Number.isFinite(limitParam) && limitParam >= 0 ? limitParam : 20;
    const offset = Math.max(0, Number(query.get('offset') ?? '0') || 0);
    const page = limit === 0 ? objects.slice(offset) : objects.slice(offset, offset + limit);
    const link = (o: number) => {
      const q = new URLSearchParams(query);
      q.set('offset', String(o));
      q.set('limit', String(limit));
      return `${path}?${q.toString()}`;
    };
    return {
      meta: {
        limit,
        offset,
        total_count: objects.length,
        next: limit !== 0 && offset + limit < objects.length ? link(offset + limit) : null,
        previous: limit !== 0 && offset > 0 ? link(Math.max(0, offset - limit)) : null,
      },
      objects: page,
    };
  }

  function filterBy<T extends Record<string, unknown>>(items: T[], query: URLSearchParams, fields: string[]): T[] {
    return items.filter((item) =>
      fields.every((f) => {
        const exact = query.get(f);
        const starts = query.get(`${f}__startswith`);
        const icontains = query.get(`${f}__icontains`);
        const inList = query.get(`${f}__in`);
        const value = str(item[f]);
        return (
          (exact === null || value === exact) &&
          (starts === null || value.startsWith(starts)) &&
          (icontains === null || value.toLowerCase().includes(icontains.toLowerCase())) &&
          (inList === null || inList.split(',').includes(value))
        );
      }),
    );
  }

  async function configuration(method: string, path: string, query: URLSearchParams, body: string): Promise<[number, unknown, Record<string, string>?]> {
    if (path === CONFIG) {
      if (method === 'GET') {
        const all = [...model.vmrs.values()].sort((a, b) => a.id - b.id).map(vmrView);
        return [200, paged(path, query, filterBy(all, query, ['name', 'tag', 'description']))];
      }
      if (method === 'POST') {
        const input = parseJson(body);
        const name = str(input.name).trim();
        if (!name) return [400, { conference: { name: ['This field is required.'] } }];
        if (name.length > 250) return [400, { conference: { name: ['Ensure this value has at most 250 characters.'] } }];
        const aliases = (Array.isArray(input.aliases) ? input.aliases : []).map((a) => (typeof a === 'string' ? a : str((a as { alias?: unknown }).alias)));
        if (model.findByName(name)) return [400, { conference: { name: ['Virtual meeting room with this Name already exists.'] } }];
        const taken = aliases.find((a) => model.aliasTaken(a));
        if (taken) return [400, { conference: { aliases: [`Alias ${taken} is already in use.`] } }];
        const pin = str(input.pin);
        const guestPin = str(input.guest_pin);
        if (pin && !/^\d{4,20}$/.test(pin)) return [400, { conference: { pin: ['PIN must be 4 to 20 digits.'] } }];
        if (guestPin && !/^\d{4,20}$/.test(guestPin)) return [400, { conference: { guest_pin: ['PIN must be 4 to 20 digits.'] } }];
        if (guestPin && pin === guestPin) return [400, { conference: { guest_pin: ['Guest PIN must differ from Host PIN.'] } }];
        const vmr = model.createVmr({
          name,
          pin,
          guest_pin: guestPin,
          allow_guests: input.allow_guests === true,
          tag: str(input.tag),
          description: str(input.description),
          service_type: str(input.service_type, 'conference'),
          aliases,
        });
        return [201, '', { location: `${baseUrl}${vmr.resource_uri}` }];
      }
      if (method === 'DELETE') {
        // Pexip's documented (and dangerous) behaviour: DELETE on the list wipes every VMR
        for (const v of [...model.vmrs.values()]) model.deleteVmr(v);
        return [204, ''];
      }
      return [405, ''];
    }
    const match = /^\/api\/admin\/configuration\/v1\/conference\/(\d+)\/$/.exec(path);
    if (!match) return [404, ''];
    const vmr = model.vmrs.get(Number(match[1]));
    if (!vmr) return [404, ''];
    if (method === 'GET') return [200, vmrView(vmr)];
    if (method === 'DELETE') {
      model.deleteVmr(vmr);
      return [204, ''];
    }
    if (method === 'PATCH' || method === 'PUT') {
      const input = parseJson(body);
      const patch: Parameters<PexipModel['updateVmr']>[1] = {};
      if ('tag' in input) patch.tag = str(input.tag);
      if ('description' in input) patch.description = str(input.description);
      if ('pin' in input) patch.pin = str(input.pin);
      if ('guest_pin' in input) patch.guest_pin = str(input.guest_pin);
      if ('allow_guests' in input) patch.allow_guests = input.allow_guests === true;
      model.updateVmr(vmr, patch);
      return [202, ''];
    }
    return [405, ''];
  }

  function statusApi(path: string, query: URLSearchParams): [number, unknown] {
    if (path === '/api/admin/status/v1/conference/') {
      const all = [...model.conferences.values()].map((c) => ({
        id: c.id,
        name: c.name,
        service_type: 'conference',
        is_started: model.hostPresent(c),
        is_locked: false,
        guests_muted: false,
        start_time: new Date(c.startTime).toISOString(),
        tag: c.tag,
        resource_uri: `/api/admin/status/v1/conference/${c.id}/`,
      }));
      return [200, paged(path, query, filterBy(all, query, ['name', 'tag']))];
    }
    if (path === '/api/admin/status/v1/participant/') {
      const all = [...model.conferences.values()].flatMap((c) =>
        [...c.participants.values()].map((p) => ({
          id: p.uuid,
          conference: c.name,
          display_name: p.displayName,
          role: p.role,
          call_direction: p.callDirection,
          protocol: p.protocol,
          source_alias: p.sourceAlias,
          destination_alias: p.destinationAlias,
          call_uuid: p.callUuid ?? '',
          connect_time: p.connectTime ? new Date(p.connectTime).toISOString() : null,
          service_tag: c.tag,
          system_location: p.systemLocation,
          media_node: p.node,
          has_media: p.hasMedia,
          is_muted: false,
          is_on_hold: false,
          is_presenting: false,
          remote_address: '198.51.100.20',
          vendor: p.protocol === 'SIP' ? 'Genesys' : 'Pexip Infinity Connect',
          resource_uri: `/api/admin/status/v1/participant/${p.uuid}/`,
        })),
      );
      return [200, paged(path, query, filterBy(all, query, ['conference']))];
    }
    return [404, ''];
  }

  function command(path: string, body: string): [number, unknown] {
    const input = parseJson(body);
    if (path === '/api/admin/command/v1/participant/dial/') {
      const alias = str(input.conference_alias);
      const destination = str(input.destination);
      if (!alias || !destination) return [400, { status: 'failed', error: 'conference_alias and destination are required' }];
      if (!input.system_location && !input.node) return [400, { status: 'failed', error: 'system_location or node is required' }];
      const role = str(input.role, 'guest');
      if (role !== 'guest' && role !== 'chair') return [400, { status: 'failed', error: 'role must be guest or chair' }];
      const keep = str(input.keep_conference_alive, 'keep_conference_alive');
      if (!['keep_conference_alive', 'keep_conference_alive_if_multiple', 'keep_conference_alive_never'].includes(keep)) return [400, { status: 'failed', error: 'invalid keep_conference_alive' }];
      const headers = str(input.custom_sip_headers);
      const uui = /(?:^|\r?\n)User-to-User:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
      const result = model.dial({
        alias,
        destination,
        role,
        displayName: str(input.local_display_name, alias),
        remoteDisplayName: str(input.remote_display_name),
        keepAlive: keep as Participant['keepAlive'],
        userToUser: uui,
        systemLocation: str(input.system_location, 'simulated-location'),
      });
      if (result.kind === 'not_found') return [400, { status: 'failed', error: 'Conference alias not found' }];
      return [202, { status: 'success', data: { participant_id: result.participantId, participant_ids: [result.participantId] } }];
    }
    if (path === '/api/admin/command/v1/participant/disconnect/') {
      const found = model.findParticipant(str(input.participant_id));
      if (!found) return [404, { status: 'failed', error: 'Participant not found' }];
      model.leave(found.conf, found.participant, 'Disconnected by an administrator');
      return [200, { status: 'success', data: null }];
    }
    if (path === '/api/admin/command/v1/conference/disconnect/') {
      const conf = model.conferenceById(str(input.conference_id));
      if (!conf) return [404, { status: 'failed', error: 'Conference not found' }];
      model.endConference(conf, 'Conference terminated by an administrator');
      return [200, { status: 'success', data: null }];
    }
    return [404, ''];
  }

  function clientApi(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: URLSearchParams, body: string): [number, unknown] | 'stream' {
    const m = /^\/api\/client\/v2\/conferences\/([^/]+)\/(.+)$/.exec(path);
    if (!m) return [404, { status: 'failed', result: 'Not found' }];
    const alias = decodeURIComponent(m[1]!);
    const rest = m[2]!;
    const tokenHeader = req.headers.token;
    const token = typeof tokenHeader === 'string' ? tokenHeader : query.get('token') ?? undefined;

    if (rest === 'request_token' && method === 'POST') {
      const input = parseJson(body);
      const displayName = str(input.display_name);
      if (!displayName) return [400, { status: 'failed', result: 'display_name is required' }];
      const pinHeader = req.headers.pin;
      const pin = typeof pinHeader === 'string' ? pinHeader : undefined;
      const result = model.requestToken(alias, pin, displayName, str(input.call_tag));
      if (result.kind === 'not_found') return [404, { status: 'failed', result: 'Neither conference nor gateway found' }];
      if (result.kind === 'pin_required') return [403, { status: 'success', result: { pin: 'required', guest_pin: result.guestPin ? 'required' : 'none', version: { version_id: '35', pseudo_version: '77683.0.0' } } }];
      if (result.kind === 'invalid_pin') return [403, { status: 'failed', result: 'Invalid PIN' }];
      const { participant, conf } = result;
      return [200, {
        status: 'success',
        result: {
          token: result.token,
          expires: String(model.options.tokenExpiresSeconds),
          participant_uuid: participant.uuid,
          version: { version_id: '35', pseudo_version: '77683.0.0' },
          role: participant.role === 'chair' ? 'HOST' : 'GUEST',
          display_name: participant.displayName,
          current_service_type: model.serviceTypeOf(conf, participant) === 'waiting_room' ? 'waiting_room' : 'conference',
          service_type: 'conference',
          conference_name: conf.name,
          call_tag: participant.callTag,
          chat_enabled: false,
          fecc_enabled: false,
          rtmp_enabled: false,
          rtsp_enabled: false,
          trickle_ice_enabled: true,
          analytics_enabled: false,
          guests_can_present: true,
          stun: [{ url: 'stun:stun.l.google.com:19302' }],
        },
      }];
    }

    const who = model.byToken(alias, token);
    if (!who) return [403, { status: 'failed', result: 'Invalid token' }];
    const { conf, participant } = who;

    if (rest === 'refresh_token' && method === 'POST') {
      const fresh = model.refreshToken(conf, participant);
      return [200, { status: 'success', result: { token: fresh, expires: String(model.options.tokenExpiresSeconds) } }];
    }
    if (rest === 'release_token' && method === 'POST') {
      model.leave(conf, participant, 'Participant released token');
      return [200, { status: 'success', result: true }];
    }
    if (rest === 'participants' && method === 'GET') {
      return [200, { status: 'success', result: [...conf.participants.values()].filter((p) => p.state === 'connected').map((p) => model.clientParticipant(conf, p)) }];
    }
    if (rest === 'events' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      sseResponses.add(res);
      let id = 0;
      const send = (event: string, data: unknown) => {
        res.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      send('participant_sync_begin', {});
      for (const p of conf.participants.values()) if (p.state === 'connected') send('participant_create', model.clientParticipant(conf, p));
      send('participant_sync_end', {});
      send('conference_update', { guests_can_unmute: true, locked: false, guests_muted: false, started: model.hostPresent(conf) });
      const remove = model.addListener(conf, (event, data) => {
        send(event, data);
        if (event === 'disconnect') {
          remove();
          res.end();
        }
      });
      const onGone = (event: string, data: unknown) => {
        if (event === 'participant_delete' && (data as { uuid?: string }).uuid === participant.uuid) {
          send('disconnect', { reason: 'Participant disconnected' });
          remove();
          removeSelf();
          res.end();
        }
      };
      const removeSelf = model.addListener(conf, onGone);
      req.on('close', () => {
        remove();
        removeSelf();
        sseResponses.delete(res);
      });
      return 'stream';
    }
    const call = /^participants\/([^/]+)\/(calls|disconnect)(?:\/([^/]+)\/(new_candidate|ack|disconnect))?$/.exec(rest);
    if (call && method === 'POST') {
      const target = conf.participants.get(decodeURIComponent(call[1]!));
      if (!target) return [403, { status: 'failed', result: 'Participant not found' }];
      if (call[2] === 'disconnect') {
        if (participant.role !== 'chair' && target !== participant) return [403, { status: 'failed', result: 'Invalid role' }];
        model.leave(conf, target, 'Disconnected by another participant');
        return [200, { status: 'success', result: null }];
      }
      if (target !== participant) return [403, { status: 'failed', result: 'Invalid token' }];
      if (!call[3]) {
        const input = parseJson(body);
        if (str(input.call_type) !== 'WEBRTC' || !str(input.sdp)) return [400, 'call_type WEBRTC and an sdp offer are required'];
        const callUuid = model.startWebrtcCall(conf, participant);
        return [200, { status: 'success', result: { call_uuid: callUuid, sdp: answerSdp(str(input.sdp)) } }];
      }
      if (participant.callUuid !== decodeURIComponent(call[3])) return [403, { status: 'failed', result: 'Invalid call' }];
      if (call[4] === 'new_candidate') return [200, { status: 'success', result: null }];
      if (call[4] === 'ack') return [200, { status: 'success', result: true }];
      model.leave(conf, participant, 'Call disconnected');
      return [200, { status: 'success', result: null }];
    }
    return [404, { status: 'failed', result: 'Not found' }];
  }

  function nextScripted(endpoint: SimEndpoint): ScriptedFault | undefined {
    const list = faults.script?.[endpoint];
    const head = list?.[0];
    if (!list || !head) return undefined;
    head.times -= 1;
    if (head.times <= 0) list.shift();
    return head;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const endpoint = endpointOf(path);
    const body = await readBody(req);
    if (endpoint) counts[endpoint] += 1;
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (endpoint) {
      const scripted = nextScripted(endpoint);
      if (scripted) {
        if (scripted.hangMs) await new Promise((r) => setTimeout(r, scripted.hangMs));
        throw new HttpError(scripted.status, { error: `injected fault ${scripted.status}` }, scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
      }
      const rate = faults.errorRate?.[endpoint] ?? 0;
      if (rate > 0 && random() < rate) throw new HttpError(503, { error: 'injected fault 503' });
    }
    let result: [number, unknown, Record<string, string>?] | 'stream';
    switch (endpoint) {
      case 'token':
        if (method !== 'POST') throw new HttpError(405, '');
        result = [200, await issueOAuthToken(body)];
        break;
      case 'configuration':
        authenticateAdmin(req);
        result = await configuration(method, path, url.searchParams, body);
        break;
      case 'status':
        authenticateAdmin(req);
        if (method !== 'GET') throw new HttpError(405, '');
        result = statusApi(path, url.searchParams);
        break;
      case 'command':
        authenticateAdmin(req);
        if (method !== 'POST') throw new HttpError(405, '');
        result = command(path, body);
        break;
      case 'client':
        result = clientApi(req, res, method, path, url.searchParams, body);
        break;
      default:
        result = [404, { error: 'not found' }];
    }
    if (result === 'stream') return;
    send(res, result[0], result[1], result[2]);
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    if (body === '' || body === undefined || status === 204) {
      res.writeHead(status, headers).end();
    } else if (typeof body === 'string') {
      res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
    } else {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) send(res, error.status, error.body, error.headers);
      else {
        options.logger?.error({ err: error }, 'pexip simulator failure');
        send(res, 500, { error: 'simulator failure' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    url: baseUrl,
    username: basic.username,
    password: basic.password,
    setEventSink(url, credentials, sinkOptions) {
      sink.setTarget(url ? { url, username: credentials?.username ?? '', password: credentials?.password ?? '', bulk: sinkOptions?.bulk ?? false } : undefined);
    },
    restartEventSink: () => sink.restart(),
    get sipDestination() {
      return sipDestination;
    },
    setSipDestination(destination) {
      sipDestination = destination;
    },
    setFaults(next) {
      faults = next;
      sink.faults = next.sink ?? {};
    },
    setPropagationDelay(ms) {
      model.options.propagationDelayMs = ms;
    },
    rooms: () => [...model.vmrs.values()],
    participants: (roomName) => [...(model.conferences.get(roomName)?.participants.values() ?? [])],
    dropParticipant(participantId, reason = 'Media node disconnected') {
      const found = model.findParticipant(participantId);
      if (found) model.leave(found.conf, found.participant, reason);
    },
    sinkDeliveries: () => [...sink.delivered],
    flushEvents: () => sink.idle(),
    requestCounts: () => ({ ...counts }),
    async stop() {
      sink.stop();
      for (const conf of [...model.conferences.values()]) {
        conf.lastHostTimer?.cancel();
        for (const p of conf.participants.values()) p.tokenTimer?.cancel();
      }
      for (const r of sseResponses) r.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

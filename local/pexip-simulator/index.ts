import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminAuth } from './auth';
import { applyCors, LOCAL_ORIGINS } from './cors';
import { realClock } from './clock';
import { FaultGate } from './faults';
import { HttpError, readBody, send, type RouteResult } from './http';
import { PexipModel } from './model';
import { clientApiRoute, type ClientApiContext } from './routes/clientApi';
import { commandRoute } from './routes/command';
import { controlRoute, type ControlContext } from './routes/control';
import { configurationRoute } from './routes/management';
import { statusRoute } from './routes/status';
import { RateLimiter } from './rateLimit';
import { WebrtcPeers } from './media/webrtcPeers';
import { EventSinkPoster } from './sink';
import type { PexipSimulator, PexipSimulatorOptions, RoomInspection, SimEndpoint, SimFaults } from './types';

export { manualClock, realClock } from './clock';
export type { ManualClock, SimClock } from './clock';
export type { SinkFaults, SinkDelivery, SinkEnvelope } from './sink';
export type { RateLimit } from './rateLimit';
export type { PeerView, ReceivedMedia } from './media/types';
export type { PexipSimulator, PexipSimulatorOptions, RoomInspection, ScriptedFault, SimEndpoint, SimFaults } from './types';

/** `control` is the simulator's own knobs and inspection (`/_sim/…`): counted nowhere, never faulted. */
function endpointOf(path: string): SimEndpoint | 'control' | undefined {
  if (path.startsWith('/api/admin/configuration/')) return 'configuration';
  if (path.startsWith('/api/admin/command/')) return 'command';
  if (path.startsWith('/api/admin/status/')) return 'status';
  if (path === '/oauth/token/' || path === '/oauth/token') return 'token';
  if (path.startsWith('/api/client/v2/')) return 'client';
  if (path.startsWith('/_sim/')) return 'control';
  return undefined;
}

/** Starts a Pexip Infinity management + conferencing node stand-in on a local port. */
export async function startPexipSimulator(options: PexipSimulatorOptions = {}): Promise<PexipSimulator> {
  const clock = options.clock ?? realClock();
  const random = options.random ?? Math.random;
  const basic = options.basic ?? { username: 'admin', password: randomBytes(12).toString('base64url') };
  const nodes = options.nodes ?? ['10.44.0.11'];
  const faults = new FaultGate(options.faults ?? {}, random);
  const auth = new AdminAuth(clock, basic, options.oauthClients ?? {}, options.oauthTokenLifetimeSeconds ?? 3600);
  const allowedOrigins = options.allowedOrigins ?? LOCAL_ORIGINS;
  const limiter = new RateLimiter(clock, options.managementRateLimit);
  const holder = { sipDestination: options.sipDestination };
  const counts: Record<SimEndpoint, number> = { configuration: 0, command: 0, status: 0, token: 0, client: 0 };
  const sink = new EventSinkPoster(() => clock.now(), random);
  sink.registerNodes(nodes);
  sink.faults = faults.current.sink ?? {};

  // real offers get a real (werift) peer; offers without ICE or DTLS get a plausible answer
  const media = options.media === false ? undefined : new WebrtcPeers();
  const model = new PexipModel({
    clock,
    propagationDelayMs: options.propagationDelayMs ?? 0,
    tokenExpiresSeconds: options.tokenExpiresSeconds ?? 120,
    lastHostTimeoutMs: options.lastHostTimeoutMs ?? 60_000,
    nodes,
    nodeHostname: 'conference.simulated.pexip',
    get sipDestination() {
      return holder.sipDestination;
    },
    emit: (node, event, data) => sink.enqueue(node, event, data),
    onMediaEnd: (p) => media?.close(p.uuid),
  });
  const client: ClientApiContext = { model, streams: new Set(), media };
  const setFaults = (next: SimFaults) => {
    faults.set(next);
    sink.faults = next.sink ?? {};
  };
  const control: ControlContext = {
    model,
    setFaults,
    setRateLimit: (limit) => limiter.set(limit),
    inspectRoom: (alias) => {
      const conf = model.conferences.get(alias);
      if (!conf) return undefined;
      const participants = [...conf.participants.values()].map((p) => ({
        uuid: p.uuid,
        displayName: p.displayName,
        role: p.role,
        protocol: p.protocol,
        state: p.state,
        hasMedia: p.hasMedia,
        isMuted: p.isMuted,
        isVideoMuted: p.isVideoMuted,
        isClientMuted: p.isClientMuted,
        media: media?.view(p.uuid) ?? null,
      }));
      return { name: conf.name, participants };
    },
  };
  let baseUrl = '';

  async function route(req: IncomingMessage, res: ServerResponse, endpoint: SimEndpoint | 'control' | undefined, url: URL, body: string): Promise<RouteResult> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    switch (endpoint) {
      case 'token':
        if (method !== 'POST') throw new HttpError(405, '');
        return [200, await auth.issueToken(body, `${baseUrl}/oauth/token/`)];
      case 'configuration':
        auth.authenticate(req);
        return configurationRoute(model, method, path, url.searchParams, body, baseUrl);
      case 'status':
        auth.authenticate(req);
        if (method !== 'GET') throw new HttpError(405, '');
        return statusRoute(model, path, url.searchParams);
      case 'command':
        auth.authenticate(req);
        if (method !== 'POST') throw new HttpError(405, '');
        return commandRoute(model, path, body);
      case 'control':
        auth.authenticate(req);
        return controlRoute(control, method, path, body);
      case 'client':
        return clientApiRoute(client, req, res, method, path, url.searchParams, body);
      default:
        return [404, { error: 'not found' }];
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const endpoint = endpointOf(url.pathname);
    if (endpoint === 'client' && !applyCors(req, res, allowedOrigins)) return;
    const body = await readBody(req);
    if (endpoint !== 'control') {
      if (endpoint) counts[endpoint] += 1;
      if (endpoint === 'configuration' || endpoint === 'status' || endpoint === 'command') limiter.take();
      await faults.apply(endpoint);
    }
    const result = await route(req, res, endpoint, url, body);
    if (result === 'stream') return;
    send(res, result[0], result[1], result[2]);
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
      return holder.sipDestination;
    },
    setSipDestination(destination) {
      holder.sipDestination = destination;
    },
    setFaults,
    setPropagationDelay(ms) {
      model.options.propagationDelayMs = ms;
    },
    setManagementRateLimit: (limit) => limiter.set(limit),
    rateLimited: () => limiter.rejected,
    rooms: () => [...model.vmrs.vmrs.values()],
    participants: (roomName) => [...(model.conferences.get(roomName)?.participants.values() ?? [])],
    dropParticipant(participantId, reason = 'Media node disconnected') {
      const found = model.findParticipant(participantId);
      if (found) model.leave(found.conf, found.participant, reason);
    },
    sinkDeliveries: () => [...sink.delivered],
    flushEvents: () => sink.idle(),
    requestCounts: () => ({ ...counts }),
    inspectRoom: (alias) => control.inspectRoom(alias) as RoomInspection | undefined,
    async stop() {
      sink.stop();
      await media?.stop();
      for (const conf of [...model.conferences.values()]) {
        conf.lastHostTimer?.cancel();
        for (const p of conf.participants.values()) p.tokenTimer?.cancel();
      }
      for (const r of client.streams) r.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

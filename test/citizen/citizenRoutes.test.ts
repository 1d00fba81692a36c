import { SignJWT } from 'jose';
import { citizenTokens, CITIZEN_TOKEN_ISSUER, CITIZEN_TOKEN_SCOPE } from '../../src/adapters/auth/citizenToken';
import type { PexipConference } from '../../src/adapters/pexip';
import type { DurableControl, SessionEventPublisher } from '../../src/contracts/ports';
import type { SessionEvent } from '../../src/contracts/sessionEvents';
import type { SessionIndex, SessionRecord } from '../../src/contracts/sessionIndex';
import { citizenLeaveHandler, citizenRoomHandler, citizenSessionHandler, clientAddress, type CitizenDeps } from '../../src/http/citizen';
import { TokenBuckets } from '../../src/http/rateLimit';
import type { ApiRequest, ApiResponse } from '../../src/http/types';
import { createLogger } from '../../src/logging/logger';

const KEY = 'a-citizen-token-key-of-32-bytes!';
const SESSION = 'mclocal-0a1b2c3d4e5f';
const start = Date.parse('2026-03-02T18:00:00Z');

function record(fields: Partial<SessionRecord> = {}): SessionRecord {
  return { sessionId: SESSION, videoCallId: 'v-1', phase: 'queued', createdAt: new Date(start).toISOString(), updatedAt: new Date(start).toISOString(), dialAttempts: 1, revision: 3, conversationId: 'conv-secret', agentUserId: undefined, ...fields };
}

const room: PexipConference = { id: 7, name: SESSION, guest_pin: '4821', pin: '123456', aliases: [{ alias: SESSION }] } as PexipConference;

function setUp(options: { records?: Record<string, SessionRecord>; rooms?: PexipConference[]; capacity?: number; addressCapacity?: number; publishOutcome?: 'accepted' | 'unknown_session' | 'session_finished' } = {}) {
  let now = start;
  const clock = () => new Date(now);
  const tokens = citizenTokens({ key: KEY, now: clock });
  const records: Record<string, SessionRecord> = options.records ?? { [SESSION]: record() };
  const published: SessionEvent[] = [];
  const publisher: SessionEventPublisher = {
    publish: async (event) => {
      published.push(event);
      return options.publishOutcome ?? 'accepted';
    },
  };
  const deps: CitizenDeps = {
    tokens,
    index: async () => ({ get: async (id: string) => records[id] }) as unknown as SessionIndex,
    rooms: { getRoomByName: async (name) => (options.rooms ?? [room]).find((r) => r.name === name) },
    publisher: () => publisher,
    conferenceNode: 'conference.test.vc.maxconf.ca',
    limits: {
      perSession: new TokenBuckets({ capacity: options.capacity ?? 100, refillPerSecond: 1, maxKeys: 100, now: () => now }),
      perAddress: new TokenBuckets({ capacity: options.addressCapacity ?? 100, refillPerSecond: 1, maxKeys: 100, now: () => now }),
    },
    logger: createLogger({ level: 'silent' }),
    now: clock,
  };
  const context = { invocationId: 'i-1', durable: {} as DurableControl };
  const mint = (sessionId = SESSION, ttlMs = 3600_000) => tokens.mint(sessionId, new Date(now + ttlMs));
  const call = async (handler: 'session' | 'room' | 'leave', token: string | undefined, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const all: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
    const request: ApiRequest = { method: handler === 'leave' ? 'POST' : 'GET', url: 'http://x/', params: {}, query: new URLSearchParams(), header: (n) => all[n.toLowerCase()], body: undefined };
    const make = { session: citizenSessionHandler, room: citizenRoomHandler, leave: citizenLeaveHandler }[handler];
    return make(deps)(request, context);
  };
  return { deps, records, published, call, mint, advance: (ms: number) => (now += ms) };
}

const typeOf = (r: ApiResponse) => (r.body as { type?: string }).type?.replace('https://maxconf.ca/problems/', '');

describe('GET /public/citizen/session', () => {
  it('answers phase, position, wait and when to ask again: nothing personal, no Genesys id, no store', async () => {
    const t = setUp({ records: { [SESSION]: record({ queue: { position: 3, estimatedWaitSeconds: 240.4, at: new Date(start).toISOString() } }) } });
    const res = await t.call('session', await t.mint());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phase: 'queued', position: 3, estimatedWaitSeconds: 240, pollAfterSeconds: 5 });
    expect(res.headers?.['cache-control']).toBe('no-store');
  });

  it('an ended session answers its outcome; the queue figures are not shown outside the queue', async () => {
    const t = setUp({ records: { [SESSION]: record({ phase: 'ended', outcome: 'completed', queue: { position: 1, at: 'x' } }) } });
    expect((await t.call('session', await t.mint())).body).toEqual({ phase: 'ended', outcome: 'completed', pollAfterSeconds: 60 });
  });

  it('a new session whose first record has not arrived is waiting for the citizen; an old token without a record is 404', async () => {
    const t = setUp({ records: {} });
    const fresh = await t.mint();
    expect((await t.call('session', fresh)).body).toEqual({ phase: 'waiting_for_citizen', pollAfterSeconds: 2 });
    t.advance(3 * 60_000);
    const res = await t.call('session', fresh);
    expect([res.status, typeOf(res)]).toEqual([404, 'session-not-found']);
  });

  it('401 token-expired once exp has passed; 401 invalid-token for none, malformed or forged; 403 for a genuine token of another use', async () => {
    const t = setUp();
    const short = await t.mint(SESSION, 60_000);
    t.advance(70_000);
    const expired = await t.call('session', short);
    expect([expired.status, typeOf(expired)]).toEqual([401, 'token-expired']);
    const forged = await citizenTokens({ key: 'another-key-of-at-least-32-bytes' }).mint(SESSION, new Date(start + 3600_000));
    for (const token of [undefined, 'nonsense', forged]) {
      const res = await t.call('session', token);
      expect([res.status, typeOf(res)]).toEqual([401, 'invalid-token']);
    }
    const other = await new SignJWT({ scope: CITIZEN_TOKEN_SCOPE })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(CITIZEN_TOKEN_ISSUER)
      .setAudience('api://maxconf-local')
      .setSubject(SESSION)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(KEY));
    const res = await t.call('session', other);
    expect([res.status, typeOf(res)]).toEqual([403, 'forbidden']);
  });

  it('a burst for one session is 429 with Retry-After, and answered again once the bucket refills', async () => {
    const t = setUp({ capacity: 3 });
    const token = await t.mint();
    for (let i = 0; i < 3; i++) expect((await t.call('session', token)).status).toBe(200);
    const limited = await t.call('session', token);
    expect([limited.status, typeOf(limited), limited.headers?.['retry-after']]).toEqual([429, 'rate-limited', '1']);
    t.advance(1000);
    expect((await t.call('session', token)).status).toBe(200);
  });

  it('a burst from one client address (first X-Forwarded-For entry) is 429 before any token is checked; another address is not', async () => {
    const t = setUp({ addressCapacity: 2 });
    const from = (ip: string) => ({ 'x-forwarded-for': `${ip}, 10.0.0.1` });
    expect((await t.call('session', 'forged', from('203.0.113.9'))).status).toBe(401);
    expect((await t.call('session', 'forged', from('203.0.113.9'))).status).toBe(401);
    const limited = await t.call('session', 'forged', from('203.0.113.9'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await t.call('session', await t.mint(), from('198.51.100.4'))).status).toBe(200);
  });

  it('503 when no token key is configured', async () => {
    const t = setUp();
    t.deps.tokens = undefined;
    const res = await t.call('session', 'x');
    expect([res.status, typeOf(res)]).toEqual([503, 'citizen-access-off']);
  });
});

describe('GET /public/citizen/room', () => {
  it('answers the alias, the guest PIN read from Pexip and the conference node: never the host PIN', async () => {
    const t = setUp();
    const res = await t.call('room', await t.mint());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ alias: SESSION, guestPin: '4821', conferenceNode: 'conference.test.vc.maxconf.ca' });
    expect(JSON.stringify(res.body)).not.toContain('123456');
    expect(res.headers?.['cache-control']).toBe('no-store');
  });

  it('410 once the session has ended or its room is gone', async () => {
    for (const t of [setUp({ records: { [SESSION]: record({ phase: 'ended', outcome: 'citizen_left' }) } }), setUp({ rooms: [] })]) {
      const res = await t.call('room', await t.mint());
      expect([res.status, typeOf(res)]).toEqual([410, 'session-ended']);
    }
  });
});

describe('POST /public/citizen/leave', () => {
  it('ends the session as a deliberate leave: citizen_left before an agent answered', async () => {
    const t = setUp();
    const res = await t.call('leave', await t.mint());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phase: 'ending', outcome: 'citizen_left', pollAfterSeconds: 2 });
    expect(t.published).toEqual([expect.objectContaining({ type: 'citizen_ended_call', source: 'citizen', roomName: SESSION, eventId: `citizen-leave:${SESSION}` })]);
  });

  it('completed after an agent answered; asked again it answers the same, under the same event id', async () => {
    const t = setUp({ records: { [SESSION]: record({ phase: 'in_call', answeredAt: new Date(start).toISOString() }) } });
    const token = await t.mint();
    const first = await t.call('leave', token);
    const second = await t.call('leave', token);
    expect(first.body).toEqual({ phase: 'ending', outcome: 'completed', pollAfterSeconds: 2 });
    expect(second.body).toEqual(first.body);
    expect(new Set(t.published.map((e) => e.eventId)).size).toBe(1);
    t.records[SESSION] = record({ phase: 'ended', outcome: 'completed' });
    const third = await t.call('leave', token);
    expect([third.status, (third.body as { outcome: string }).outcome]).toEqual([200, 'completed']);
    expect(t.published).toHaveLength(2);
  });

  it('404 when the session is unknown to the runtime; the same refusals as the other routes', async () => {
    const t = setUp({ records: {}, publishOutcome: 'unknown_session' });
    const res = await t.call('leave', await t.mint());
    expect([res.status, typeOf(res)]).toEqual([404, 'session-not-found']);
    expect((await t.call('leave', 'forged')).status).toBe(401);
  });
});

describe('the client address', () => {
  it('is the first X-Forwarded-For entry as APIM passes it; anything else is one shared key', () => {
    const of = (v: string | undefined) => clientAddress({ header: () => v });
    expect(of('203.0.113.9, 10.0.0.1')).toBe('203.0.113.9');
    expect(of('2001:db8::1')).toBe('2001:db8::1');
    expect(of(undefined)).toBe('direct');
    expect(of('<script>')).toBe('direct');
  });
});

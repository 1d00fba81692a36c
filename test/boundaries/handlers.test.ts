import type { BearerVerifier } from '../../src/adapters/auth';
import { durableSessionEventPublisher } from '../../src/adapters/durable/sessionEventPublisher';
import type { SessionSettings } from '../../src/domain/session';
import { readCapped } from '../../src/functions/adapt';
import { eventSinkHandler } from '../../src/http/eventSink';
import { getRoomHandler, deleteRoomHandler, updateRoomHandler, createRoomHandler, type RoomsDeps } from '../../src/http/rooms';
import type { SessionIndex, SessionRecord } from '../../src/contracts/sessionIndex';
import { getSessionHandler, listSessionsHandler, terminateSessionHandler, type SessionsDeps } from '../../src/http/sessions';
import { publicRoomHandler } from '../../src/http/publicRoom';
import type { ApiRequest, ApiResponse, DurableControl, InstanceStatus } from '../../src/http/types';
import { JSON_BODY_MAX_BYTES } from '../../src/http/validation';
import { createLogger } from '../../src/logging/logger';

/** A durable client that records every call; the point of these tests is which ids reach it. */
function recordingDurable(instances: Record<string, InstanceStatus> = {}) {
  const calls: { method: string; args: unknown[] }[] = [];
  const durable: DurableControl = {
    startNew: async (...args) => void calls.push({ method: 'startNew', args }),
    raiseEvent: async (...args) => void calls.push({ method: 'raiseEvent', args }),
    getStatus: async (id) => {
      calls.push({ method: 'getStatus', args: [id] });
      return instances[id];
    },
    listInstances: async (filter) => {
      calls.push({ method: 'listInstances', args: [filter] });
      return Object.values(instances);
    },
    terminate: async (...args) => void calls.push({ method: 'terminate', args }),
    purge: async (...args) => (calls.push({ method: 'purge', args }), 0),
    purgeFinished: async (...args) => (calls.push({ method: 'purgeFinished', args }), 0),
    signalEntity: async (...args) => void calls.push({ method: 'signalEntity', args }),
    readEntityState: async <T>(...args: unknown[]) => {
      calls.push({ method: 'readEntityState', args });
      return undefined as T | undefined;
    },
  };
  return { durable, calls };
}

const allow: BearerVerifier = { verify: async () => ({ ok: true, principal: { subject: 'staff-1', roles: ['Support', 'IDIM'] } }) };
const logger = createLogger({ level: 'silent' });

function req(params: Record<string, string>, options: { query?: string; body?: string; headers?: Record<string, string> } = {}): ApiRequest {
  const headers: Record<string, string> = { authorization: 'Bearer t', ...options.headers };
  return {
    method: 'GET',
    url: 'http://x/',
    params,
    query: new URLSearchParams(options.query ?? ''),
    header: (n) => headers[n.toLowerCase()],
    body: options.body,
  };
}

function names(response: ApiResponse): string[] {
  return ((response.body as { 'invalid-params'?: { name: string }[] })['invalid-params'] ?? []).map((p) => p.name);
}

const SESSION = 'mclocal-0a1b2c3d4e5f';
const running: InstanceStatus = {
  instanceId: SESSION,
  name: 'callSession',
  runtimeStatus: 'Running',
  input: { uui: 'secret-uui' },
  output: null,
  customStatus: { phase: 'waiting_for_citizen' },
  createdTime: '2026-12-01T00:00:00.000Z',
  lastUpdatedTime: '2026-12-01T00:00:00.000Z',
};

/** The id forms the fuzz found reaching the durable client (decoded, as the router hands them over). */
const BAD_IDS = [
  '../../runtime/webhooks/durabletask/instances',
  `${SESSION}?`,
  `${SESSION}#`,
  `x/../${SESSION}`,
  `${SESSION}\u0000`,
  `${SESSION} `,
  '\u0005',
  '%',
  '@roompool@pool',
  SESSION.toUpperCase(),
  `${SESSION}.`,
];

const RECORD: SessionRecord = {
  sessionId: SESSION,
  videoCallId: 'vc1',
  phase: 'waiting_for_citizen',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  dialAttempts: 0,
  revision: 1,
};

/** The support read model, recording which session ids reach it. */
const indexCalls: { method: string; args: unknown[] }[] = [];
const recordingIndex = new Proxy({} as SessionIndex, {
  // not a thenable: `await deps.index()` must hand the index itself over
  get: (_target, method: string) => method === 'then' ? undefined : async (...args: unknown[]) => {
    indexCalls.push({ method, args });
    if (method === 'get') return args[0] === SESSION ? RECORD : undefined;
    if (method === 'readTimeline' || method === 'list') return { items: [] };
    if (method === 'findByVideoCallId') return [];
    return undefined;
  },
});

function sessionsDeps(): SessionsDeps {
  indexCalls.length = 0;
  return { verifier: allow, publisher: durableSessionEventPublisher, index: async () => recordingIndex, now: () => new Date('2026-12-01T12:00:00Z') };
}

describe('every id is data, never a path', () => {
  it.each(BAD_IDS)('GET /sessions/%j is a 400 naming "id", and the durable client is never called', async (id) => {
    const { durable, calls } = recordingDurable({ [SESSION]: running });
    const response = await getSessionHandler(sessionsDeps())(req({ id }), { invocationId: 'i', durable });
    expect(response.status).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(names(response)).toEqual(['id']);
    expect(calls).toEqual([]);
    expect(indexCalls).toEqual([]);
  });

  it('GET /sessions/{id} with a session id still reads it, from the index', async () => {
    const { durable, calls } = recordingDurable({ [SESSION]: running });
    const response = await getSessionHandler(sessionsDeps())(req({ id: SESSION }), { invocationId: 'i', durable });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: SESSION, phase: 'waiting_for_citizen', timeline: [] });
    expect(indexCalls.map((c) => c.method)).toEqual(['get', 'readTimeline']);
    expect(calls).toEqual([]);
  });

  it('GET /sessions/{id} of a session that has not written its first record answers from its own status', async () => {
    const fresh = 'mclocal-ffffeeeedddd';
    const view = {
      roomName: fresh, videoCallId: 'vc2', phase: 'dialing', outcome: null, createdAt: '2026-12-01T00:00:00.000Z', endedAt: null,
      conversationId: null, agentUserId: null, answeredAt: null, citizenParticipants: ['p1'], sipParticipantId: null,
      agentVideoParticipants: [], queue: null, dialAttempts: 1, teardown: null, timelineDropped: 0,
      timeline: [{ at: '2026-12-01T00:00:00.000Z', kind: 'event', what: 'session_started' }],
    };
    const { durable } = recordingDurable({ [fresh]: { ...running, instanceId: fresh, customStatus: view, lastUpdatedTime: '2026-12-01T00:00:01.000Z' } });
    const response = await getSessionHandler(sessionsDeps())(req({ id: fresh }), { invocationId: 'i', durable });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expect.objectContaining({ id: fresh, phase: 'dialing', citizenParticipants: ['p1'], revision: 0, updatedAt: '2026-12-01T00:00:01.000Z' }));
    expect(response.body).not.toHaveProperty('timelineDropped');
    expect(JSON.stringify(response.body)).not.toContain('secret-uui');
  });

  it('GET /sessions/{id} is a 404 when neither the index nor a call session knows the id', async () => {
    const other = 'mclocal-000011112222';
    const { durable } = recordingDurable({ [other]: { ...running, instanceId: other, name: 'claimWarmRoom', customStatus: null } });
    expect((await getSessionHandler(sessionsDeps())(req({ id: other }), { invocationId: 'i', durable })).status).toBe(404);
    expect((await getSessionHandler(sessionsDeps())(req({ id: 'mclocal-999999999999' }), { invocationId: 'i', durable })).status).toBe(404);
  });

  it('POST /sessions/{id}/terminate with a traversal id is a 400 and raises nothing', async () => {
    const { durable, calls } = recordingDurable({ [SESSION]: running });
    const response = await terminateSessionHandler(sessionsDeps())(req({ id: `x/../${SESSION}` }, { body: '{"reason":"fraud"}' }), { invocationId: 'i', durable });
    expect(response.status).toBe(400);
    expect(names(response)).toEqual(['id']);
    expect(calls).toEqual([]);
  });

  it.each([
    ['roomName=%25', 'roomName'],
    [`roomName=${encodeURIComponent('../../runtime/webhooks/durabletask/instances')}`, 'roomName'],
    ['conversationId=..%2Fx', 'conversationId'],
    ['videoCallId=%00', 'videoCallId'],
  ])('GET /sessions?%s is a 400 naming %s before any lookup', async (query, field) => {
    const { durable, calls } = recordingDurable({ [SESSION]: running });
    const response = await listSessionsHandler(sessionsDeps())(req({}, { query }), { invocationId: 'i', durable });
    expect(response.status).toBe(400);
    expect(names(response)).toContain(field);
    expect(calls).toEqual([]);
    expect(indexCalls).toEqual([]);
  });

  function roomDeps(found: string[] = []): RoomsDeps & { deleted: string[]; looked: string[] } {
    const deleted: string[] = [];
    const looked: string[] = [];
    return {
      deleted,
      looked,
      verifier: allow,
      rooms: {
        // a loose lookup (case-insensitive), as a management API might do
        getRoomByName: async (name: string) => {
          looked.push(name);
          const hit = found.find((f) => f.toLowerCase() === name.toLowerCase());
          return hit ? { id: 1, name: hit, description: 'maxconf:v2 prefix=mclocal-  managed by MaxConf; do not edit' } : undefined;
        },
        listRooms: async () => ({ rooms: [], nextOffset: undefined }),
        updateTag: async () => undefined,
        deleteRoom: async (name: string) => void deleted.push(name),
      } as unknown as RoomsDeps['rooms'],
      roomPrefix: 'mclocal-',
      claimRoom: async () => ({ ok: false, reason: 'pool_exhausted', detail: 'x' }),
      growPool: async () => undefined,
      clearPool: async () => 0,
      publisher: durableSessionEventPublisher,
      settings: {} as SessionSettings,
      logger,
      now: () => new Date('2026-12-01T12:00:00Z'),
    };
  }

  it.each(['../x', 'a/b', 'name?x', 'name#x', 'a b', '\u0000', 'x'.repeat(251)])('GET, PATCH and DELETE /room/%j are 400s naming room_name; Pexip and the durable client are never asked', async (name) => {
    const deps = roomDeps();
    const { durable, calls } = recordingDurable();
    for (const handler of [getRoomHandler(deps), deleteRoomHandler(deps), updateRoomHandler(deps)]) {
      const response = await handler(req({ room_name: name }, { body: '{"tag":"https://x.example/t"}' }), { invocationId: 'i', durable });
      expect(response.status).toBe(400);
      expect(names(response)).toEqual(['room_name']);
    }
    expect(deps.looked).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('v1 room names keep v1 behaviour: a Base64 name is looked up on Pexip without touching durable; a persistent room is a 409', async () => {
    const deps = roomDeps();
    const { durable, calls } = recordingDurable();
    expect((await getRoomHandler(deps)(req({ room_name: 'MTIzNDU2LDc2NTQzMg' }), { invocationId: 'i', durable })).status).toBe(404);
    expect(deps.looked).toEqual(['MTIzNDU2LDc2NTQzMg']);
    expect(calls).toEqual([]);
    expect((await deleteRoomHandler(deps)(req({ room_name: 'vkiosk_lobby' }), { invocationId: 'i', durable })).status).toBe(409);
    expect((await deleteRoomHandler(deps)(req({ room_name: 'MTIzNDU2LDc2NTQzMg' }), { invocationId: 'i', durable })).status).toBe(204);
  });

  it('DELETE /room/{name} never deletes a room the lookup matched only loosely (another case)', async () => {
    const deps = roomDeps([SESSION]);
    const { durable } = recordingDurable();
    const response = await deleteRoomHandler(deps)(req({ room_name: SESSION.toUpperCase() }), { invocationId: 'i', durable });
    expect(response.status).toBe(204);
    expect(deps.deleted).toEqual([]);
  });

  it('GET /public/room/%2E%2E is a 400 naming vmr_name', async () => {
    const deps = { validateAgentToken: async () => ({ ok: true as const, userId: 'u' }), rooms: { getRoomByName: async () => undefined }, logger };
    const response = await publicRoomHandler(deps)(req({ vmr_name: '../x' }), { invocationId: 'i', durable: undefined });
    expect(response.status).toBe(400);
    expect(names(response)).toEqual(['vmr_name']);
  });
});

describe('create when Pexip cannot say the guest PIN', () => {
  it('a room made on demand whose PIN cannot be read is released and the answer is 503: no session starts', async () => {
    const { durable, calls } = recordingDurable();
    const deleted: string[] = [];
    const deps = {
      verifier: allow,
      rooms: {
        getRoomByName: async () => {
          throw new Error('Pexip 503');
        },
        deleteRoom: async (name: string) => void deleted.push(name),
      },
      roomPrefix: 'mclocal-',
      // the claim orchestration's output carries no PIN
      claimRoom: async () => ({ ok: true as const, room: { id: 7, name: 'mclocal-aaaabbbbcccc', aliases: [] } }),
      publisher: durableSessionEventPublisher,
      settings: {} as SessionSettings,
      logger,
      now: () => new Date(),
    } as unknown as RoomsDeps;
    const uui = encodeURIComponent('696474657374267663313233;encoding=hex');
    const response = await createRoomHandler(deps)(req({}, { query: `uuiData=${uui}` }), { invocationId: 'i', durable });
    expect(response.status).toBe(503);
    expect(response.headers?.['retry-after']).toBe('30');
    expect(deleted).toEqual(['mclocal-aaaabbbbcccc']);
    expect(calls.filter((c) => c.method === 'startNew')).toEqual([]);
  });
});

describe('every body is bounded before it is read', () => {
  const big = JSON.stringify({ reason: 'x'.repeat(JSON_BODY_MAX_BYTES) });

  it('PATCH /room, terminate and create answer 413 problem+json naming body for a body over 64 KiB', async () => {
    const deps = { ...sessionsDeps() };
    const { durable, calls } = recordingDurable({ [SESSION]: running });
    const rooms = (() => {
      const d = {
        verifier: allow,
        rooms: { getRoomByName: async () => undefined, listRooms: async () => ({ rooms: [] }), updateTag: async () => undefined, deleteRoom: async () => undefined },
        roomPrefix: 'mclocal-',
        claimRoom: async () => ({ ok: false as const, reason: 'pool_exhausted' as const, detail: 'x' }),
        growPool: async () => undefined,
        clearPool: async () => 0,
        publisher: durableSessionEventPublisher,
        settings: {} as SessionSettings,
        logger,
        now: () => new Date(),
      };
      return d as unknown as RoomsDeps;
    })();
    const cases: [string, Promise<ApiResponse>][] = [
      ['PATCH /room', updateRoomHandler(rooms)(req({ room_name: SESSION }, { body: big }), { invocationId: 'i', durable })],
      ['terminate', terminateSessionHandler(deps)(req({ id: SESSION }, { body: big }), { invocationId: 'i', durable })],
      ['create', createRoomHandler(rooms)(req({}, { query: 'uuiData=x', body: big }), { invocationId: 'i', durable })],
      // declared too large: refused from the header, whatever was read
      ['declared', terminateSessionHandler(deps)(req({ id: SESSION }, { body: '{"reason":"x"}', headers: { 'content-length': String(10 * 1024 * 1024) } }), { invocationId: 'i', durable })],
    ];
    for (const [what, pending] of cases) {
      const response = await pending;
      expect([what, response.status, response.headers?.['content-type']]).toEqual([what, 413, 'application/problem+json']);
      expect(names(response)).toEqual(['body']);
    }
    expect(calls).toEqual([]);
  });

  it('invalid JSON on PATCH /room and terminate is a 400 naming body', async () => {
    const { durable } = recordingDurable({ [SESSION]: running });
    const response = await terminateSessionHandler(sessionsDeps())(req({ id: SESSION }, { body: '{' }), { invocationId: 'i', durable });
    expect(response.status).toBe(400);
    expect(names(response)).toEqual(['body']);
  });

  it('the Functions adapter reads at most cap + 1 bytes of a stream and none of a body declared over the cap', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const text = await readCapped({ body, headers: new Headers() } as never, 100_000);
    expect(text.length).toBe(100_001);
    expect(pulled).toBeLessThan(100_000 + 4 * chunk.length);
    const small = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{}'));
        controller.close();
      },
    });
    const declared = await readCapped({ body: small, headers: new Headers({ 'content-length': '200000' }) } as never, 100_000);
    expect(declared).toBe('');
  });
});

describe('a vendor event MaxConf cannot use is acknowledged, not failed', () => {
  const credentials = { username: 'pexip', password: 'sink-password-1' };
  const sink = () =>
    eventSinkHandler({
      credentials,
      roomPrefix: 'mclocal-',
      genesysSipUri: undefined,
      logger,
      now: () => new Date('2026-12-01T12:00:00Z'),
      publisher: durableSessionEventPublisher,
    });
  const auth = { authorization: `Basic ${Buffer.from('pexip:sink-password-1').toString('base64')}` };

  it.each([1e300, 1e13, -1])('a sink event with time %d is a 200 that counts the unusable field', async (time) => {
    const { durable } = recordingDurable();
    const response = await sink()(req({}, { body: JSON.stringify({ event: 'x', time }), headers: auth }), { invocationId: 'i', durable });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ received: 1, unusable_fields: 1 });
  });

  it('a participant event naming a room outside the allow-list never reaches the durable client', async () => {
    const { durable, calls } = recordingDurable();
    const data = { uuid: 'p', conference: 'mclocal-../../runtime/webhooks/durabletask/instances', role: 'guest', call_direction: 'in', protocol: 'webrtc' };
    const response = await sink()(req({}, { body: JSON.stringify({ event: 'participant_connected', data }), headers: auth }), { invocationId: 'i', durable });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ foreign: 1 });
    expect(calls).toEqual([]);
  });
});

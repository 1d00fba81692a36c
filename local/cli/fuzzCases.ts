import fc from 'fast-check';

/**
 * The fuzz's generated requests: for every documented route, bad ids (encoded traversal, `?`/`#`,
 * control characters, case changes), bad query values, bad bodies (wrong JSON, wrong types,
 * missing fields, oversize), wrong content types and bad or wrong-role credentials. None of them
 * is a valid command about a sentinel session, so no sentinel may change.
 */

/** Bigger than the handlers' 64 KiB JSON limit, within any host limit. */
export const OVERSIZE_JSON_BYTES = 70 * 1024;
/** Bigger than every handler limit (1 MiB); today's host hands it to the handler, which answers 413. */
export const OVERSIZE_HOST_BYTES = 2 * 1024 * 1024;

export interface DocumentedOperation {
  method: string;
  /** OpenAPI path template, e.g. `/room/{room_name}` */
  path: string;
  pathParams: string[];
  queryParams: string[];
  security: 'bearer' | 'basic' | 'apiKey' | 'agent' | 'none';
}

export interface FuzzCredentials {
  idim: string;
  support: string;
  sink: { username: string; password: string };
  genesysApiKey: string;
  /** a Genesys user token for the Agent App route, when a simulator can mint one */
  agentToken?: string;
}

export interface FuzzRequest {
  method: string;
  /** the route template it exercises */
  route: string;
  /** path and query, already encoded */
  target: string;
  headers: Record<string, string>;
  body?: string;
  /** what the case tries, for the report */
  label: string;
  /** malformed percent-encoding: the host's router answers it, before any handler */
  hostRouterCase: boolean;
}

/** Reads the operations of an OpenAPI 3.1 document (what `GET /openapi.json` serves). */
export function operationsOf(document: unknown): DocumentedOperation[] {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  const out: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const op = raw as { parameters?: { name: string; in: string }[]; security?: Record<string, unknown>[] };
      const params = op.parameters ?? [];
      const scheme = Object.keys(op.security?.[0] ?? {})[0];
      const agent = params.some((p) => p.in === 'header' && p.name === 'x-auth-token');
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        security: agent ? 'agent' : scheme === 'bearer' || scheme === 'basic' || scheme === 'apiKey' ? scheme : 'none',
      });
    }
  }
  return out;
}

const enc = encodeURIComponent;

/** Bad ids, built around a sentinel's real name so that a lookup that strips or resolves them would find it. */
function badIds(sentinel: string): fc.Arbitrary<{ value: string; label: string; hostRouterCase: boolean }> {
  const fixed: [string, string][] = [
    ['..%2F..%2Fruntime%2Fwebhooks%2Fdurabletask%2Finstances', 'traversal to the instance list'],
    ['%2E%2E%2F%2E%2E%2Fruntime%2Fwebhooks%2Fdurabletask%2Finstances', 'dot-encoded traversal'],
    [`x%2F..%2F${sentinel}`, 'traversal onto a sentinel'],
    [`${sentinel}%2F..%2F..%2Fentities%2FroomPool%2Fpool`, 'traversal to an entity'],
    [`${sentinel}%3F`, 'id + ?'],
    [`${sentinel}%3FshowHistory%3Dtrue`, 'id + query'],
    [`${sentinel}%23`, 'id + #'],
    [`${sentinel}%2F`, 'id + /'],
    [`${sentinel}.`, 'id + .'],
    [`${sentinel}%00`, 'id + NUL'],
    [`${sentinel}%20`, 'id + space'],
    ['%00', 'NUL'],
    ['%20', 'space'],
    ['%05', 'control character'],
    ['%0D%0AX-Injected%3A%201', 'CRLF'],
    [sentinel.toUpperCase(), 'sentinel upper-cased'],
    ['%40roompool%40pool', 'entity instance id'],
    [`${sentinel}%C3%A9`, 'id + non-ASCII'],
    ['%F0%9F%98%80', 'emoji'],
    ['a'.repeat(300), 'over-long id'],
    [`${sentinel}-x`.padEnd(120, 'x'), 'over-long session-shaped id'],
  ];
  const pending: [string, string][] = [
    ['%E0%A4%A', 'malformed percent-encoding'],
    ['100%25', 'percent sign'],
    ['%zz', 'invalid escape'],
    [`${sentinel}%`, 'trailing percent'],
  ];
  const cases = [
    ...fixed.map(([value, label]) => ({ value, label, hostRouterCase: false })),
    // malformed percent-encoding: answered by the host's router (400 naming the parameter) before any handler
    ...pending.map(([value, label]) => ({ value, label, hostRouterCase: true })),
  ];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...cases) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((s) => ({ value: enc(s), label: 'random characters', hostRouterCase: false })),
    },
  );
}

const QUERY_VALUES = ['%25', '%00', '%0A', '1e300', '1e13', '-1', '0', '1.5', 'NaN', 'Infinity', '', 'true', 'False', 'null', '[]', '{}', 'x'.repeat(3000), '%E0%A4%A', '..%2F..%2Fx', '%3Cscript%3E'];
const EXTRA_KEYS = ['constrained_attributes', 'uuiData', 'count', 'page', 'pageSize', 'roomName', 'conversationId', 'videoCallId', 'from', 'to', 'phase', 'outcome', 'showHistory', 'code'];

function badQuery(op: DocumentedOperation): fc.Arbitrary<string> {
  const keys = [...new Set([...op.queryParams, ...EXTRA_KEYS])];
  const pair = fc.tuple(fc.constantFrom(...keys), fc.oneof(fc.constantFrom(...QUERY_VALUES), fc.string({ maxLength: 30 }).map(enc)));
  return fc.array(pair, { minLength: 0, maxLength: 3 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function badSinkEvents(sentinel: string): string[] {
  const conf = (conference: string) => ({ uuid: 'fuzz-participant', conference, role: 'guest', call_direction: 'in', protocol: 'webrtc' });
  return [
    { event: 'x', time: 1e300 },
    { event: 'x', time: 1e13 },
    { event: 'x', time: -5 },
    { event: 'participant_connected', time: 1e300, data: conf(`${sentinel}/../x`) },
    { event: 'participant_connected', data: conf('..%2F..%2Fruntime%2Fwebhooks%2Fdurabletask%2Finstances') },
    { event: 'participant_connected', data: conf(`${sentinel}?`) },
    { event: 'participant_connected', data: { uuid: 5, conference: sentinel } },
    { event: 'participant_disconnected', data: { conference: sentinel } },
    { event: 'conference_ended', data: { name: `${sentinel}#` } },
    { event: 'conference_ended', data: {} },
    { event: 'eventsink_bulk', data: [{ event: 'x', time: 1e300 }, { event: 'conference_started', data: { name: 7 } }] },
    { event: 'eventsink_bulk', data: 'not a list' },
    { event: '', data: null },
    { event: 'x'.repeat(500) },
    { event: 'x', seq: 1.5 },
    { event: 'x', seq: 1e300 },
  ].map((e) => JSON.stringify(e));
}

function envelope(conversationId: string, kind: string, body: Record<string, unknown>, topicConversation = conversationId): Record<string, unknown> {
  return {
    version: '0',
    id: `fuzz-${kind}`,
    'detail-type': `v2.detail.events.conversation.{id}.${kind}`,
    source: 'aws.partner/genesys.com/cloud/fuzz',
    time: '2026-12-01T00:00:00Z',
    detail: { topicName: `v2.detail.events.conversation.${topicConversation}.${kind}`, eventBody: { eventTime: 1_767_636_000_000, conversationId, ...body } },
  };
}

function badGenesysEvents(sentinel: string): string[] {
  const uuid = '3f0c6a3e-2b4e-4c0a-9b6e-0d7f5f1f9a01';
  return [
    envelope(uuid, 'customer.start', { ani: 'sip:%E0%A4%A@node.example' }),
    envelope(uuid, 'customer.start', { ani: `sip:${enc(`${sentinel}/../x`)}@node.example` }),
    envelope(uuid, 'customer.start', { ani: `sip:${sentinel}%3F@node.example` }),
    envelope(uuid, 'acd.start', { eventTime: 1e16, queueId: 'q' }),
    envelope(uuid, 'acd.start', { eventTime: 1e300, queueId: 'q' }),
    envelope(uuid, 'acd.start', { eventTime: -1, queueId: 'q' }),
    envelope('..%2F..%2Fx', 'customer.end', {}),
    envelope('a.b', 'customer.end', {}),
    envelope(uuid, 'customer.end', {}, 'another-id'),
    envelope(uuid, 'acd.end', { queueId: 'q' }),
    envelope(uuid, 'attributes', { attributes: { maxconfRoom: `${sentinel}/..` } }),
    { version: '0' },
    [],
    Array.from({ length: 101 }, () => envelope(uuid, 'customer.start', {})),
  ].map((e) => JSON.stringify(e));
}

function badBodies(op: DocumentedOperation, sentinel: string): fc.Arbitrary<{ body?: string; label: string; hostRouterCase: boolean }> {
  const generic = [
    undefined,
    '',
    'null',
    '[]',
    '{',
    '{"tag":1}',
    '{"tag":"http://plain.example/x"}',
    '{"tag":"https://x.example","extra":true}',
    '{"reason":""}',
    '{"reason":5}',
    '{"reason":"x","by":"someone"}',
    '"just a string"',
    '1e300',
    nested(2000),
    '\u0000',
    '\uFEFF{}',
  ];
  const specific = op.path === '/public/event_sink' ? badSinkEvents(sentinel) : op.path === '/genesys/events' ? badGenesysEvents(sentinel) : [];
  const plain = [...generic, ...specific].map((body) => ({ body, label: 'bad body', hostRouterCase: false }));
  const oversize = { body: JSON.stringify({ reason: 'x'.repeat(OVERSIZE_JSON_BYTES) }), label: 'oversize JSON body', hostRouterCase: false };
  const huge = { body: JSON.stringify({ event: 'x', data: 'x'.repeat(OVERSIZE_HOST_BYTES) }), label: 'body over every limit', hostRouterCase: false };
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...plain) },
    { weight: 1, arbitrary: fc.constant(oversize) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ body: JSON.stringify(v), label: 'random JSON', hostRouterCase: false })) },
    { weight: 1, arbitrary: fc.constant(huge) },
  );
}

const CONTENT_TYPES = ['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', ''];

function authHeaders(op: DocumentedOperation, credentials: FuzzCredentials): fc.Arbitrary<{ headers: Record<string, string>; label: string }> {
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  const right = (): Record<string, string> => {
    switch (op.security) {
      case 'bearer':
        return { authorization: `Bearer ${op.path.startsWith('/sessions') ? credentials.support : credentials.idim}` };
      case 'basic':
        return { authorization: basic(credentials.sink.username, credentials.sink.password) };
      case 'apiKey':
        return { 'x-api-key': credentials.genesysApiKey };
      case 'agent':
        return credentials.agentToken ? { 'x-auth-token': credentials.agentToken } : {};
      default:
        return {};
    }
  };
  const wrongRole = op.path.startsWith('/sessions') ? credentials.idim : credentials.support;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ headers: right(), label: 'right credentials' }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<{ headers: Record<string, string>; label: string }>(
        { headers: {}, label: 'no credentials' },
        { headers: { authorization: 'Bearer not.a.jwt' }, label: 'garbage bearer' },
        { headers: { authorization: `Bearer ${wrongRole}` }, label: 'wrong role' },
        { headers: { authorization: basic(credentials.sink.username, 'wrong') }, label: 'wrong basic password' },
        { headers: { authorization: 'Basic %%%' }, label: 'garbage basic' },
        { headers: { 'x-api-key': 'wrong-key' }, label: 'wrong API key' },
        { headers: { 'x-auth-token': 'x'.repeat(5000) }, label: 'over-long agent token' },
        { headers: { 'x-auth-token': 'bearer \u00e9t\u00e9' }, label: 'non-ASCII agent token' },
      ),
    },
  );
}

/** One generated request for the operation. */
export function requestFor(op: DocumentedOperation, sentinel: string, credentials: FuzzCredentials): fc.Arbitrary<FuzzRequest> {
  const ids = fc.array(badIds(sentinel), { minLength: op.pathParams.length, maxLength: op.pathParams.length });
  const hasBody = op.method === 'POST' || op.method === 'PATCH' || op.method === 'PUT';
  const body = hasBody ? badBodies(op, sentinel) : fc.constant({ body: undefined, label: 'no body', hostRouterCase: false });
  return fc
    .record({ ids, query: badQuery(op), body, auth: authHeaders(op, credentials), contentType: fc.constantFrom(...CONTENT_TYPES) })
    .map(({ ids: values, query, body: b, auth, contentType }) => {
      let path = op.path;
      op.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, values[i]!.value)));
      const headers: Record<string, string> = { ...auth.headers };
      if (b.body !== undefined && contentType) headers['content-type'] = contentType;
      const labels = [...values.map((v) => v.label), b.label, auth.label].filter((l) => l !== 'no body');
      return {
        method: op.method,
        route: `${op.method} ${op.path}`,
        target: `${path}${query}`,
        headers,
        ...(b.body !== undefined ? { body: b.body } : {}),
        label: labels.join(', '),
        hostRouterCase: b.hostRouterCase || values.some((v) => v.hostRouterCase),
      };
    });
}

/** `runs` requests spread over every operation, the same ones for the same seed. */
export function generateRequests(operations: DocumentedOperation[], sentinel: string, credentials: FuzzCredentials, runs: number, seed: number): FuzzRequest[] {
  const all = fc.oneof(...operations.map((op) => requestFor(op, sentinel, credentials)));
  const out: FuzzRequest[] = [];
  // every operation at least once, in document order, then the seeded mix
  for (const [i, op] of operations.entries()) out.push(...fc.sample(requestFor(op, sentinel, credentials), { seed: seed + i, numRuns: 1 }));
  out.push(...fc.sample(all, { seed, numRuns: Math.max(0, runs - out.length) }));
  return out.slice(0, Math.max(runs, operations.length));
}

import { judge, leakedLines } from '../../local/cli/fuzzRun';
import type { FuzzRequest } from '../../local/cli/fuzzCases';
import { createLogger } from '../../src/logging/logger';

/** The fuzz's own checks: they must see a leak or a bad answer when there is one, and only then. */
const sentinel = { name: 'mclocal-0a1b2c3d4e5f', guestPin: '2026', hostPin: '918273', uui: '6964746573742666757a7a;encoding=hex', session: '', room: '' };
const credentials = { idim: 'idim.jwt.token-abc', support: 'support.jwt.token-def', sink: { username: 'pexip', password: 'sink-password-1' }, genesysApiKey: 'events-key-123' };
const request: FuzzRequest = { method: 'GET', route: 'GET /sessions/{id}', target: '/sessions/x', headers: {}, label: 'x', hostRouterCase: false };

describe('the fuzz checks', () => {
  it('flags a line with a PIN as a value, the UUI or a credential, not a timestamp that shares the digits', () => {
    const lines = [
      '{"level":"info","time":"2026-12-01T20:26:00.000Z","msg":"room claimed","roomName":"mclocal-0a1b2c3d4e5f"}',
      '{"level":"error","msg":"x","err":"… guest_pin\\":\\"2026\\" …"}',
      '{"level":"error","msg":"x","detail":"pin 918273"}',
      '{"level":"info","msg":"dial","header":"6964746573742666757a7a"}',
      '{"level":"info","msg":"auth","header":"Bearer support.jwt.token-def"}',
    ];
    expect(leakedLines(lines, [sentinel], credentials)).toEqual(lines.slice(1));
  });

  it('flags nothing in what the logger writes for a redacted line', () => {
    const written: string[] = [];
    const logger = createLogger({ destination: { write: (s: string) => void written.push(s.trim()) } });
    logger.info({ room: { pin: '918273', guest_pin: '2026' }, uui: sentinel.uui, authorization: `Bearer ${credentials.idim}` }, 'room claimed');
    expect(leakedLines(written, [sentinel], credentials)).toEqual([]);
  });

  it('judges 5xx, non-problem 4xx and 400s without a field; a problem naming its field passes', () => {
    const problem = (status: number, body: object) => ({ status, contentType: 'application/problem+json', text: JSON.stringify({ type: 't', status, ...body }) });
    expect(judge(request, { status: 500, contentType: 'application/problem+json', text: '{}' })?.kind).toBe('5xx');
    expect(judge(request, { status: 404, contentType: 'text/plain', text: 'Not Found' })?.kind).toBe('non-problem 4xx');
    expect(judge(request, problem(400, {}))?.kind).toBe('unnamed 400');
    expect(judge(request, problem(400, { 'invalid-params': [{ name: 'id', reason: 'r' }] }))).toBeUndefined();
    expect(judge({ ...request, hostRouterCase: true }, { status: 500, contentType: '', text: '' })?.kind).toBe('host router');
    expect(judge({ ...request, route: 'GET /health' }, { status: 503, contentType: 'application/json', text: '{}' })).toBeUndefined();
  });
});

describe('error lines', () => {
  it('never carry the response body durable-functions appends to its errors', () => {
    const written: string[] = [];
    const logger = createLogger({ destination: { write: (s: string) => void written.push(s) } });
    const body = JSON.stringify([{ instanceId: 'mclocal-1', input: { uui: '6964;encoding=hex' }, output: { room: { pin: '918273' } } }]);
    logger.error({ err: new Error(`DurableClient error: could not construct a DurableOrchestrationStatus object. Details: ${body}`) }, 'request failed');
    logger.error({ err: `Webhook failed. Details: ${body}` }, 'request failed');
    const text = written.join('\n');
    expect(text).toContain('DurableClient error');
    expect(text).not.toMatch(/918273|6964;encoding=hex|instanceId/);
  });
});

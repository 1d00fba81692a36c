import { request } from 'node:http';
import type { TestHost } from '../support/localHost';
import { startFixtureHost } from './support';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * One request through node:http, so a test controls what is sent: headers only (a declared
 * length never followed by the body), a chunked body sent piece by piece, oversized headers.
 */
function send(
  host: TestHost,
  options: { method: string; path: string; headers?: Record<string, string>; chunks?: Buffer[]; endBody?: boolean },
): Promise<RawAnswer> {
  const url = new URL(host.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    // the server may close the connection while the body is still being sent; the answer still arrives
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.flushHeaders();
    for (const chunk of options.chunks ?? []) req.write(chunk);
    if (options.endBody !== false) req.end();
  });
}

function expectProblem(answer: RawAnswer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body).toEqual(expect.objectContaining({ type: expect.stringMatching(/^https:\/\//), title: expect.any(String), status, detail: expect.any(String) }));
}

describe('local durable host: HTTP boundaries', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startFixtureHost();
  });
  afterAll(() => host.stop());

  it('decodes a path parameter once: %25 is a literal percent sign', async () => {
    const answer = await send(host, { method: 'GET', path: '/room/100%25' });
    expect(answer).toMatchObject({ status: 200, body: { room_name: '100%' } });
  });

  it.each([['/room/%E0%A4%A'], ['/room/%zz']])('answers malformed percent-encoding in %s with 400 naming the parameter', async (path) => {
    const answer = await send(host, { method: 'GET', path });
    expectProblem(answer, 400);
    expect(answer.body.detail).toContain('"room_name"');
    expect(answer.body['invalid-params']).toEqual([{ name: 'room_name', reason: 'not valid percent-encoding' }]);
  });

  it('answers a path no function serves with 404 problem+json', async () => {
    const answer = await send(host, { method: 'GET', path: '/nothing/here' });
    expectProblem(answer, 404);
  });

  it('answers a method the route does not take with 405 and the methods it does', async () => {
    const answer = await send(host, { method: 'DELETE', path: '/room/r1' });
    expectProblem(answer, 405);
    expect(answer.headers.allow).toBe('GET, POST');
  });

  it('refuses a declared Content-Length over 1 MiB at once, without waiting for the body', async () => {
    const answer = await send(host, {
      method: 'POST',
      path: '/room/r1',
      headers: { 'content-type': 'application/json', 'content-length': String(1024 * 1024 + 1) },
      endBody: false,
    });
    expectProblem(answer, 413);
  });

  it('lets a client that sends a whole oversized body read the 413 (fetch sees the answer, not a reset)', async () => {
    const body = JSON.stringify({ event: 'x', data: 'x'.repeat(2 * 1024 * 1024) });
    const answer = await fetch(`${host.url}/room/r1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    // the connection outlives the refusal: the next request is served
    expect((await fetch(`${host.url}/room/r1`)).status).toBe(200);
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    // five chunks (1.25 MiB) go out, the request is never ended: the answer must come from the limit
    const answer = await send(host, { method: 'POST', path: '/room/r1', headers: { 'transfer-encoding': 'chunked' }, chunks: Array(5).fill(chunk), endBody: false });
    expectProblem(answer, 413);
  });

  it('still reads a body within the limit', async () => {
    const answer = await send(host, { method: 'POST', path: '/room/r1', headers: { 'content-type': 'text/plain' }, chunks: [Buffer.alloc(1000, 0x62)] });
    expect(answer).toMatchObject({ status: 200, body: { room_name: 'r1', bytes: 1000 } });
  });

  it('answers headers over Node’s limit with 431 problem+json', async () => {
    const answer = await send(host, { method: 'GET', path: '/room/r1', headers: { 'x-padding': 'p'.repeat(20 * 1024) } });
    expectProblem(answer, 431);
  });

  it('applies the limit to the durable management API too', async () => {
    const answer = await send(host, {
      method: 'POST',
      path: '/runtime/webhooks/durabletask/orchestrators/chain',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      endBody: false,
    });
    expectProblem(answer, 413);
  });
});

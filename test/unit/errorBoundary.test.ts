import { PexipError } from '../../src/adapters/pexip';
import { withErrorBoundary } from '../../src/http/errorBoundary';
import type { ApiRequest, RequestContext } from '../../src/http/types';
import { createLogger } from '../../src/logging/logger';

const request: ApiRequest = { method: 'GET', url: 'http://localhost/room/x', params: {}, query: new URLSearchParams(), header: () => undefined, body: undefined };
const context: RequestContext = { invocationId: 'inv-1', durable: undefined };

function failingWith(error: unknown) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  const handler = withErrorBoundary('room/{room_name}', async () => Promise.reject(error), logger);
  return { run: () => handler(request, context), lines };
}

describe('the HTTP error boundary', () => {
  it('turns Pexip being down into a 503 problem with Retry-After (Pexip’s own when it gave one)', async () => {
    const res = await failingWith(new PexipError('rate_limited', 'Pexip 429', true, 429, 12)).run();
    expect(res).toMatchObject({ status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '12' } });
    expect(res.body).toMatchObject({ type: expect.stringContaining('pexip-unavailable'), status: 503 });
  });

  it('turns a room MaxConf must not change into a 409 problem', async () => {
    expect((await failingWith(new PexipError('not_owned', 'not ours', false)).run()).status).toBe(409);
    expect((await failingWith(new PexipError('persistent_room', 'vkiosk_', false)).run()).status).toBe(409);
  });

  it('turns a permanent Pexip refusal into a 502 problem', async () => {
    const res = await failingWith(new PexipError('bad_request', 'Pexip 400', false, 400)).run();
    expect(res.status).toBe(502);
  });

  it('answers anything unexpected with a 500 problem naming the invocation, and logs it without the request', async () => {
    const { run, lines } = failingWith(new TypeError('x is undefined'));
    const res = await run();
    expect(res).toMatchObject({ status: 500, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.stringify(res.body)).toContain('inv-1');
    expect(lines).toEqual([expect.objectContaining({ level: 'error', route: 'room/{room_name}', err: 'x is undefined', msg: 'request failed' })]);
  });
});

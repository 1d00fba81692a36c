import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../src/logging/logger';
import { discardBody, readBoundedBody } from './boundedBody';
import { answerCors, type HostCors } from './cors';
import type { AppFunctions, HttpFunction } from './functions';
import { durableClientBindingName, triggerBinding, type FunctionInvoker, type TypedData } from './invoke';
import { RPC_PREFIX, WEBHOOK_PREFIX, type ManagementApi } from './managementApi';
import { problem, rawProblemResponse, sendProblem } from './problem';
import { compileRoute, matchRoute } from './routes';

/** Request bodies above this are refused with 413 before they are read (Azure's own front end allows 100 MB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A refused body is read and thrown away up to Azure's own 100 MB limit, for at most 30 s. */
const DISCARD_LIMITS = { maxBytes: 100 * 1024 * 1024, maxMs: 30_000 };

export interface HostServerOptions {
  routePrefix: string;
  management: ManagementApi;
  functions: AppFunctions;
  invoker: FunctionInvoker;
  logger: Logger;
  clientData: () => unknown;
  /** largest request body read, in bytes; default 1 MiB */
  maxBodyBytes?: number;
  /** browser origins the app's HTTP triggers answer (the Functions host's CORS setting) */
  cors?: HostCors;
}

/** One HTTP server: the durable management API under its two prefixes, and the app's HTTP triggers. */
export function createHostServer(options: HostServerOptions): Server {
  const routes = options.functions.http
    .map((fn) => compileRoute(fn, options.routePrefix))
    .sort((a, b) => b.specificity - a.specificity);

  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // the binding payload names the host's origin, fixed once it listens (before any request is served)
  let clientDataText: string | undefined;
  const clientData = () => (clientDataText ??= JSON.stringify(options.clientData()));

  const server = createServer((req, res) => {
    readBoundedBody(req, limit)
      .then((outcome) => {
        if (!outcome.ok) return refuseBody(req, res);
        return serve(req, res, outcome.body);
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error, path: req.url?.split('?')[0] }, 'local host request failed');
        if (!res.headersSent) sendProblem(res, problem(500, 'host-error', 'The local host failed to serve the request', 'See the host log.'));
        else res.end();
      });
  });
  // Node answers a request it cannot parse (headers over its 16 KB limit, bad framing) on its own,
  // with an empty body; the same answers as problem+json
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const p =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? problem(431, 'headers-too-large', 'The request headers are too large', 'Request headers are limited to 16 KB in total.')
        : problem(400, 'bad-request', 'The request could not be parsed', 'The request is not valid HTTP/1.1.');
    socket.end(rawProblemResponse(p));
  });
  return server;

  /**
   * 413 at once, on a connection kept open while the rest of the body is read and thrown away:
   * a server that answers and closes while the client is still sending resets the connection, and
   * clients (fetch among them) then report a network error instead of the answer. A sender that
   * goes on past Azure's own 100 MB, or for 30 s, loses the connection.
   */
  function refuseBody(req: IncomingMessage, res: ServerResponse): void {
    // started before the answer, so Node does not dump the body itself without a limit
    void discardBody(req, DISCARD_LIMITS).then((ended) => {
      if (!ended) req.socket.destroy();
    });
    sendProblem(res, problem(413, 'body-too-large', 'The request body is too large', `Request bodies are limited to ${limit} bytes.`, { limit }));
  }

  async function serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    for (const prefix of [WEBHOOK_PREFIX, RPC_PREFIX]) {
      if (url.pathname.startsWith(prefix) || `${url.pathname}/` === prefix) {
        const result = options.management.handle({
          method,
          path: url.pathname.slice(prefix.length),
          query: url.searchParams,
          headers: req.headers,
          body: body.toString('utf8'),
          origin,
        });
        const headers: Record<string, string> = { ...result.headers };
        if (result.body !== undefined) headers['content-type'] = result.contentType ?? 'application/json; charset=utf-8';
        res.writeHead(result.status, headers);
        res.end(result.body === undefined ? undefined : JSON.stringify(result.body));
        return;
      }
    }

    if (answerCors(req, res, options.cors)) return;
    const found = matchRoute(routes, url.pathname, method);
    switch (found.kind) {
      case 'matched':
        await invokeHttp(found.route.fn, req, res, url, method, found.params, body);
        return;
      case 'badParameter':
        sendProblem(
          res,
          problem(400, 'invalid-path', 'The request path is invalid', `path parameter "${found.name}" is not valid percent-encoding`, {
            'invalid-params': [{ name: found.name, reason: 'not valid percent-encoding' }],
          }),
        );
        return;
      case 'methodNotAllowed':
        sendProblem(res, problem(405, 'method-not-allowed', 'Method not allowed', `${url.pathname} answers ${found.allowed.join(', ')}, not ${method}.`), {
          allow: found.allowed.join(', '),
        });
        return;
      case 'none':
        sendProblem(res, problem(404, 'not-found', 'No function serves this path', `No function serves ${method} ${url.pathname}.`));
    }
  }

  async function invokeHttp(
    fn: HttpFunction,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    params: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const [triggerName] = triggerBinding(fn.fn);
    const inputData: { name: string; data: TypedData }[] = [
      { name: triggerName, data: { http: { method, url: url.toString(), headers, query, params, body: { bytes: body } } } },
    ];
    const clientBinding = durableClientBindingName(fn.fn);
    if (clientBinding) inputData.push({ name: clientBinding, data: { string: clientData() } });
    let response: { statusCode?: string; headers?: Record<string, string>; cookies?: RpcCookie[]; body?: TypedData } | undefined;
    try {
      const result = await options.invoker.invoke(fn.fn, inputData);
      response = (result.returnValue as { http?: typeof response } | undefined)?.http;
    } catch (error) {
      options.logger.error({ err: error, function: fn.fn.metadata.name }, 'HTTP function failed');
      res.writeHead(500);
      res.end();
      return;
    }
    if (!response) {
      res.writeHead(204);
      res.end();
      return;
    }
    const outHeaders: Record<string, string | string[]> = { ...response.headers };
    const cookies = (response.cookies ?? []).map(cookieText);
    if (cookies.length > 0) outHeaders['set-cookie'] = cookies;
    res.writeHead(Number(response.statusCode ?? 200), outHeaders);
    const bytes = response.body?.bytes as Uint8Array | undefined;
    const text = response.body?.string as string | undefined;
    res.end(bytes ? Buffer.from(bytes) : text);
  }
}

interface RpcCookie {
  name: string;
  value: string;
  domain?: { value?: string };
  path?: { value?: string };
  maxAge?: { value?: number };
  secure?: { value?: boolean };
  httpOnly?: { value?: boolean };
  sameSite?: number;
}

function cookieText(c: RpcCookie): string {
  const parts = [`${c.name}=${c.value}`];
  if (c.domain?.value) parts.push(`Domain=${c.domain.value}`);
  if (c.path?.value) parts.push(`Path=${c.path.value}`);
  if (c.maxAge?.value !== undefined) parts.push(`Max-Age=${c.maxAge.value}`);
  if (c.secure?.value) parts.push('Secure');
  if (c.httpOnly?.value) parts.push('HttpOnly');
  return parts.join('; ');
}

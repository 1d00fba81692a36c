import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../src/logging/logger';
import type { AppFunctions, HttpFunction } from './functions';
import { durableClientBindingName, triggerBinding, type FunctionInvoker, type TypedData } from './invoke';
import { RPC_PREFIX, WEBHOOK_PREFIX, type ManagementApi } from './managementApi';

interface CompiledRoute {
  fn: HttpFunction;
  pattern: RegExp;
  names: string[];
  /** literal segments first, so `room/create` wins over `room/{room_name}` */
  specificity: number;
}

/** Compiles an Azure Functions route template (`room/{room_name}`, `{id:int}`, `{rest?}`, `{*path}`). */
function compileRoute(fn: HttpFunction, routePrefix: string): CompiledRoute {
  const template = [routePrefix, fn.route].filter((p) => p !== '').join('/');
  const names: string[] = [];
  let specificity = 0;
  const parts = template.split('/').filter((p) => p !== '');
  let source = '';
  for (const part of parts) {
    const param = /^\{(\*)?([A-Za-z_][\w]*)(?::[^}?]+)?(\?)?\}$/.exec(part);
    if (!param) {
      source += `/${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      specificity += 2;
      continue;
    }
    const [, catchAll, name, optional] = param;
    names.push(name!);
    if (catchAll) source += '(?:/(.*))?';
    else if (optional) source += '(?:/([^/]+))?';
    else {
      source += '/([^/]+)';
      specificity += 1;
    }
  }
  return { fn, pattern: new RegExp(`^${source || ''}/?$`, 'i'), names, specificity };
}

export interface HostServerOptions {
  routePrefix: string;
  management: ManagementApi;
  functions: AppFunctions;
  invoker: FunctionInvoker;
  logger: Logger;
  clientData: () => unknown;
}

/** One HTTP server: the durable management API under its two prefixes, and the app's HTTP triggers. */
export function createHostServer(options: HostServerOptions): Server {
  const routes = options.functions.http
    .map((fn) => compileRoute(fn, options.routePrefix))
    .sort((a, b) => b.specificity - a.specificity);

  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      serve(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        options.logger.error({ err: error, path: req.url }, 'local host request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });

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
        if (result.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
        res.writeHead(result.status, headers);
        res.end(result.body === undefined ? undefined : JSON.stringify(result.body));
        return;
      }
    }

    let path = url.pathname;
    try {
      path = decodeURI(path);
    } catch {
      // keep the raw path
    }
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.fn.methods.length > 0 && !route.fn.methods.includes(method)) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const value = match[i + 1];
        if (value !== undefined) params[name] = decodeURIComponent(value);
      });
      await invokeHttp(route.fn, req, res, url, method, params, body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ message: `No function serves ${method} ${url.pathname}` }));
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
    if (clientBinding) inputData.push({ name: clientBinding, data: { string: JSON.stringify(options.clientData()) } });
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

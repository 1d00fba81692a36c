import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/**
 * A built Vite app as Azure Static Web Apps serves it, for `npm start`: its files with the
 * navigation fallback to `index.html`, `config.json` generated for this machine (never a file on
 * disk; 404 until it is set, as a missing deploy), and the headers the deploy script writes for
 * that config, so a local call proves the deployed CSP lets the app work.
 */
export interface StaticAppServer<Config> {
  /** http://127.0.0.1:<port> */
  url: string;
  /** the settings `config.json` answers from now on */
  setConfig(config: Config): void;
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function startStaticAppServer<Config>(options: {
  dist: string;
  port?: number;
  /** the deployed global headers for a config (scripts/apps/staticwebapp-config.js) */
  headersFor(config: Config): Record<string, string>;
}): Promise<StaticAppServer<Config>> {
  const { dist } = options;
  let config: Config | undefined;
  let headers: Record<string, string> = {};

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      if (config === undefined) res.writeHead(404, headers).end();
      else res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(config));
      return;
    }
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    const inside = file.startsWith(dist + sep);
    // the navigation fallback: any other path is the app (an OAuth redirect comes back to `/`)
    const served = inside && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
    const cache = served.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600';
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(served)] ?? 'application/octet-stream', 'cache-control': cache });
    if (req.method === 'HEAD') res.end();
    else createReadStream(served).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setConfig(next) {
      config = next;
      headers = options.headersFor(next);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

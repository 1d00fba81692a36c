import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The built Agent App (`apps/agent-app/dist`) as Azure Static Web Apps serves it, for `npm start`:
 * its files, `config.json` generated for this machine's MaxConf and simulators (never a file on
 * disk), and the headers `scripts/apps/staticwebapp-config.js` deploys (CSP with the desktop's
 * origin as `frame-ancestors`, camera-only Permissions-Policy), so a local call proves the
 * deployed CSP lets the app work.
 */
export interface AgentAppServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** the settings `config.json` answers from now on (until then: 404, as a missing deploy) */
  setConfig(config: AgentAppLocalConfig): void;
  stop(): Promise<void>;
}

/** The `config.json` fields (apps/agent-app/src/config.ts). */
export interface AgentAppLocalConfig {
  environment: string;
  maxconfApiBase: string;
  conferenceNodeUrl: string;
  genesys: {
    gateway: { host: string; protocol: 'http' | 'https'; port?: number; pathParamsLogin: string };
    oauthClientId: string;
    grant: 'pkce' | 'implicit';
    allowedParentOrigin: string;
  };
  videoQueueIds: string[];
}

interface StaticWebAppHeaders {
  globalHeaders: Record<string, string>;
}
type StaticWebAppConfig = (config: AgentAppLocalConfig) => StaticWebAppHeaders;

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

export function agentAppDist(root: string): string {
  return join(root, 'apps', 'agent-app', 'dist');
}

export async function startAgentAppServer(options: { root: string; port?: number }): Promise<AgentAppServer> {
  const dist = agentAppDist(options.root);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} has no built Agent App: run \`npm run build:apps\``);
  // the deploy script is CommonJS outside the TypeScript build: loaded as it is
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { staticWebAppConfig } = require(join(options.root, 'scripts', 'apps', 'staticwebapp-config.js')) as { staticWebAppConfig: StaticWebAppConfig };
  let config: AgentAppLocalConfig | undefined;
  let headers: Record<string, string> = {};

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.json') {
      if (!config) {
        res.writeHead(404, headers).end();
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(config));
      return;
    }
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    const inside = file.startsWith(dist + sep);
    // the navigation fallback: any other path is the app (the OAuth redirect comes back to `/`)
    const served = inside && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
    const type = TYPES[extname(served)] ?? 'application/octet-stream';
    const cache = served.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600';
    res.writeHead(200, { ...headers, 'content-type': type, 'cache-control': cache });
    if (req.method === 'HEAD') res.end();
    else createReadStream(served).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    setConfig(next) {
      config = next;
      headers = staticWebAppConfig(next).globalHeaders;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The widget URL the desktop fills in, as the Interaction Widget integration is set up in Genesys. */
export function widgetUrlTemplate(appUrl: string): string {
  return `${appUrl}/?pcConversationId={{pcConversationId}}&gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}&pcLangTag={{pcLangTag}}&pcEnvironment={{pcEnvironment}}`;
}

/** config.json for the local MaxConf and the simulators the vendors process runs. */
export function localAgentAppConfig(settings: { maxconfUrl: string; pexipUrl: string; genesysUrl: string; browserClientId: string }): AgentAppLocalConfig {
  const genesys = new URL(settings.genesysUrl);
  return {
    environment: 'local',
    maxconfApiBase: settings.maxconfUrl,
    conferenceNodeUrl: settings.pexipUrl,
    genesys: {
      gateway: { host: genesys.hostname, protocol: genesys.protocol === 'https:' ? 'https' : 'http', ...(genesys.port ? { port: Number(genesys.port) } : {}), pathParamsLogin: 'login' },
      oauthClientId: settings.browserClientId,
      grant: 'pkce',
      // the simulated agent desktop is served by the Genesys simulator itself
      allowedParentOrigin: genesys.origin,
    },
    videoQueueIds: [],
  };
}

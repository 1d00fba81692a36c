import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startStaticAppServer, type StaticAppServer } from './staticAppServer';

/**
 * The built Agent App (`apps/agent-app/dist`) as Azure Static Web Apps serves it, for `npm start`:
 * its files, `config.json` generated for this machine's MaxConf and simulators (never a file on
 * disk), and the headers `scripts/apps/staticwebapp-config.js` deploys (CSP with the desktop's
 * origin as `frame-ancestors`, camera-only Permissions-Policy), so a local call proves the
 * deployed CSP lets the app work.
 */
export type AgentAppServer = StaticAppServer<AgentAppLocalConfig>;

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


export function agentAppDist(root: string): string {
  return join(root, 'apps', 'agent-app', 'dist');
}

export async function startAgentAppServer(options: { root: string; port?: number }): Promise<AgentAppServer> {
  const dist = agentAppDist(options.root);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} has no built Agent App: run \`npm run build:apps\``);
  // the deploy script is CommonJS outside the TypeScript build: loaded as it is
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { staticWebAppConfig } = require(join(options.root, 'scripts', 'apps', 'staticwebapp-config.js')) as { staticWebAppConfig: StaticWebAppConfig };
  return startStaticAppServer<AgentAppLocalConfig>({ dist, ...(options.port === undefined ? {} : { port: options.port }), headersFor: (config) => staticWebAppConfig(config).globalHeaders });
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

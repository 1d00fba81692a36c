import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SIMULATOR_FILE as GENESYS_SIMULATOR_FILE } from '../genesys-simulator/starter';
import { agentAppDist, localAgentAppConfig, startAgentAppServer, widgetUrlTemplate, type AgentAppServer } from './agentAppServer';

/**
 * `npm start`'s browser apps: the built Agent App on its own origin, and the settings that tie
 * it to the simulators: the Genesys simulator's desktop loads it as the interaction widget
 * (`GENESYS_SIM_WIDGET_URL` for the vendors process), its `config.json` points at this MaxConf,
 * the Pexip simulator as conference node and the Genesys simulator's browser OAuth client.
 */
export interface LocalApps {
  /** the Agent App's origin, which MaxConf's local host answers CORS for */
  agentAppUrl: string;
  /** the vendors process's extra environment */
  vendorsEnv: Record<string, string>;
  /** once the vendors run: writes config.json's settings; returns the lines to print */
  connect(settings: { maxconfUrl: string; vendorsEnv: Record<string, string>; dataDir: string }): string[];
  stop(): Promise<void>;
}

const AppsEnv = z.object({ AGENT_APP_PORT: z.coerce.number().int().min(0).max(65535).default(0) });

const GenesysSimulatorFile = z.object({
  desktopUrl: z.string(),
  browserClientId: z.string(),
  agents: z.array(z.object({ id: z.string(), name: z.string(), desktop: z.string() })),
});

/** Undefined (with the reason) when the app has not been built: MaxConf runs without it. */
export async function startLocalApps(root: string, env: Record<string, string | undefined>): Promise<LocalApps | { skipped: string }> {
  if (!existsSync(join(agentAppDist(root), 'index.html'))) return { skipped: 'the Agent App is not built (run `npm run build:apps`): the desktop shows no widget' };
  const parsed = AppsEnv.safeParse({ AGENT_APP_PORT: env.AGENT_APP_PORT || undefined });
  if (!parsed.success) throw new Error(`AGENT_APP_PORT: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const server: AgentAppServer = await startAgentAppServer({ root, port: parsed.data.AGENT_APP_PORT });
  return {
    agentAppUrl: server.url,
    vendorsEnv: { GENESYS_SIM_WIDGET_URL: widgetUrlTemplate(server.url) },
    connect({ maxconfUrl, vendorsEnv, dataDir }) {
      const file = join(dataDir, GENESYS_SIMULATOR_FILE);
      const pexipUrl = vendorsEnv.PEXIP_MANAGEMENT_URL;
      const genesysUrl = vendorsEnv.GENESYS_API_BASE_URL;
      if (!pexipUrl || !genesysUrl || !existsSync(file)) return [`Agent App at ${server.url} (not connected: it needs both simulators)`];
      const genesys = GenesysSimulatorFile.parse(JSON.parse(readFileSync(file, 'utf8')));
      server.setConfig(localAgentAppConfig({ maxconfUrl, pexipUrl, genesysUrl, browserClientId: genesys.browserClientId }));
      return [`Agent App at ${server.url}/ (config.json for this MaxConf)`, ...genesys.agents.map((a) => `Agent desktop for ${a.name}: ${a.desktop}`)];
    },
    stop: () => server.stop(),
  };
}

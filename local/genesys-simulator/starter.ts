import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MaxConfConfig } from '../../src/config';
import type { SipDestination } from '../../src/contracts/sip';
import type { Logger } from '../../src/logging/logger';
import type { StartedSimulator } from '../simulators';
import type { VendorKnobs } from '../vendorKnobs';
import { GENESYS_EVENTS_KEY_HEADER } from '../../src/http/genesysEvents';
import { startGenesysSimulator, type GenesysSimulator } from './index';

/** Where `npm start` leaves the simulator's address for the CLI (`npm run genesys:sim`). */
export const SIMULATOR_FILE = 'genesys-simulator.json';

export interface StartedGenesysSimulator {
  env: Record<string, string>;
  /** the Pexip simulator's dial-out calls this */
  sipDestination: SipDestination;
  simulator: GenesysSimulator;
  stop(): Promise<void>;
}

/**
 * `npm start` without Genesys credentials: the simulator, its EventBridge envelopes POSTed to
 * MaxConf's own `POST /genesys/events` (the EventBridge API destination path), and the settings
 * that point the production client at it. Undefined when a real org is configured.
 */
export async function startGenesysSimulatorFor(
  config: MaxConfConfig,
  logger: Logger,
  _earlier: readonly StartedSimulator[] = [],
  knobs?: VendorKnobs,
): Promise<StartedGenesysSimulator | undefined> {
  if (config.genesys.credentials) return undefined;
  // the simulator adds its own component name; the sink's warnings below use the same one
  const log = logger.child({ component: 'genesys-simulator' });
  const simulator = await startGenesysSimulator({
    logger,
    queueName: config.genesys.queueName,
    agents: 2,
    answerDelayMs: 5000,
    ...(knobs?.genesys.widgetUrl ? { widgetUrl: knobs.genesys.widgetUrl } : {}),
    ...(config.genesys.sipUri ? { sipUri: config.genesys.sipUri } : {}),
  });
  const eventsUrl = `http://127.0.0.1:${config.port}/genesys/events`;
  simulator.setEventSink(async (envelope) => {
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [GENESYS_EVENTS_KEY_HEADER]: config.genesys.eventsApiKey },
      body: JSON.stringify(envelope),
    });
    // a 5xx (MaxConf restarting) is retried by the delivery, as EventBridge retries; a 4xx is final
    if (res.status >= 500) throw new Error(`MaxConf answered ${res.status}`);
    if (res.status !== 202) log.warn({ status: res.status, topic: envelope['detail-type'] }, 'MaxConf did not accept a Genesys envelope');
  });
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, SIMULATOR_FILE);
  const agents = (simulator.control.state().agents as { id: string; name: string }[]).map((a) => ({ id: a.id, name: a.name, desktop: `${simulator.desktopUrl}?agent=${encodeURIComponent(a.id)}` }));
  writeFileSync(file, JSON.stringify({ url: simulator.url, desktopUrl: simulator.desktopUrl, browserClientId: simulator.browserClients[0]!.clientId, agents }, null, 2), { mode: 0o600 });
  log.info({ desktop: agents[0]?.desktop }, 'simulated Genesys agent desktop');
  return {
    env: simulator.env(),
    sipDestination: simulator.sipDestination,
    simulator,
    async stop() {
      rmSync(file, { force: true });
      await simulator.stop();
    },
  };
}

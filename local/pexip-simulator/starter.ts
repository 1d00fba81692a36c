import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MaxConfConfig } from '../../src/config';
import type { Logger } from '../../src/logging/logger';
import type { StartedSimulator } from '../simulators';
import { LOCAL_PROPAGATION_DELAY_MS, seededRandom, type VendorKnobs } from '../vendorKnobs';
import { startPexipSimulator, type PexipSimulator } from './index';

/** Where `npm start` leaves the simulator's address for local tools (`npm run demo`). */
export const PEXIP_SIMULATOR_FILE = 'pexip-simulator.json';

export interface StartedPexipSimulator extends StartedSimulator {
  simulator: PexipSimulator;
}

/**
 * `npm start` without `PEXIP_MANAGEMENT_URL`: the simulator as management and conference node,
 * its event sink pointed at MaxConf's own `/public/event_sink`, its SIP dial-out handed to the
 * simulator started before it that takes SIP calls (Genesys). Undefined when a real Pexip is set.
 */
export async function startPexipSimulatorFor(
  config: MaxConfConfig,
  logger: Logger,
  earlier: readonly StartedSimulator[],
  knobs?: VendorKnobs,
): Promise<StartedPexipSimulator | undefined> {
  if (config.pexip.managementUrl) return undefined;
  const log = logger.child({ component: 'pexip-simulator' });
  // a fresh management password per run: nothing but this process and MaxConf ever needs it
  const basic = { username: 'maxconf', password: randomBytes(18).toString('base64url') };
  const sipDestination = earlier.find((s) => s.sipDestination)?.sipDestination;
  const simulator = await startPexipSimulator({
    host: '127.0.0.1',
    basic,
    propagationDelayMs: knobs?.pexip.propagationDelayMs ?? LOCAL_PROPAGATION_DELAY_MS,
    ...(knobs?.pexip.managementRateLimit ? { managementRateLimit: knobs.pexip.managementRateLimit } : {}),
    ...(knobs ? { faults: knobs.pexip.faults } : {}),
    ...(knobs?.pexip.seed !== undefined ? { random: seededRandom(knobs.pexip.seed) } : {}),
    logger: log,
    ...(sipDestination ? { sipDestination } : {}),
  });
  simulator.setEventSink(`http://127.0.0.1:${config.port}/public/event_sink`, config.pexip.eventSink, { bulk: knobs?.pexip.sinkBulk ?? false });
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, PEXIP_SIMULATOR_FILE);
  writeFileSync(file, JSON.stringify({ url: simulator.url }, null, 2), { mode: 0o600 });
  log.info({ url: simulator.url, propagationDelayMs: knobs?.pexip.propagationDelayMs ?? LOCAL_PROPAGATION_DELAY_MS, managementRateLimit: knobs?.pexip.managementRateLimit ?? null }, 'Pexip simulator listening');
  return {
    env: {
      PEXIP_MANAGEMENT_URL: simulator.url,
      PEXIP_USERNAME: basic.username,
      PEXIP_PASSWORD: basic.password,
      PEXIP_CONFERENCE_HOST: new URL(simulator.url).host,
    },
    simulator,
    async stop() {
      rmSync(file, { force: true });
      await simulator.stop();
    },
  };
}

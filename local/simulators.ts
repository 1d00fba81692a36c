import type { MaxConfConfig } from '../src/config';
import type { SipDestination } from '../src/contracts/sip';
import type { Logger } from '../src/logging/logger';
import { startGenesysSimulatorFor } from './genesys-simulator/starter';
import { startPexipSimulatorFor } from './pexip-simulator/starter';
import type { VendorKnobs } from './vendorKnobs';

/**
 * The vendor simulators `npm start` runs when no real endpoint is configured. Each returns the
 * environment settings that point MaxConf at it (e.g. `PEXIP_MANAGEMENT_URL`), applied before the
 * app loads, and a way to stop it.
 */
export interface StartedSimulator {
  env: Record<string, string>;
  stop(): Promise<void>;
  /** where SIP calls to this vendor go (the Genesys simulator's; the Pexip dial-out calls it) */
  sipDestination?: SipDestination;
}

/**
 * A simulator, or undefined when the config names a real endpoint for its vendor. `earlier` are
 * the simulators started before it (the Pexip simulator takes the Genesys one's sipDestination).
 */
export type SimulatorStarter = (
  config: MaxConfConfig,
  logger: Logger,
  earlier: readonly StartedSimulator[],
  /** production-like limits and fault knobs (the vendors process's environment) */
  knobs?: VendorKnobs,
) => Promise<StartedSimulator | undefined>;

/** Append a vendor's starter here; they start in this order and stop in reverse. */
const SIMULATORS: SimulatorStarter[] = [
  // first: the Pexip simulator's dial-out needs its sipDestination
  startGenesysSimulatorFor,
  startPexipSimulatorFor,
];

export async function startSimulators(config: MaxConfConfig, logger: Logger, knobs?: VendorKnobs): Promise<StartedSimulator> {
  const started: StartedSimulator[] = [];
  const env: Record<string, string> = {};
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    for (const start of SIMULATORS) {
      const simulator = await start(config, logger, started, knobs);
      if (!simulator) continue;
      started.push(simulator);
      Object.assign(env, simulator.env);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, stop };
}

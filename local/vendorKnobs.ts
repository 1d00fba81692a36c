import { z } from 'zod';
import type { SimFaults } from './pexip-simulator';
import type { RateLimit } from './pexip-simulator/rateLimit';

/**
 * The vendor simulators' production-like limits and fault knobs, from the vendors process's
 * environment (and `--production-like`). Every variable is optional; unset means the local
 * defaults (3 s propagation, no rate limit, no faults).
 *
 *   PEXIP_SIM_PROPAGATION_MS      configuration → conference nodes delay (Pexip ~90 s; local 3 s)
 *   PEXIP_SIM_RATE_LIMIT          management API limit "<requests>/<seconds>" (429 + Retry-After), or "off"
 *   PEXIP_SIM_ERROR_RATE          probability of a 503 on each management API request (configuration, status, command)
 *   PEXIP_SIM_LATENCY_MS          added to every simulator answer
 *   PEXIP_SIM_SINK_DROP | _DUPLICATE | _REORDER   probability per sink event
 *   PEXIP_SIM_SINK_DELAY_MS       wait before each sink post
 *   PEXIP_SIM_SINK_BULK           "true": the node posts its backlog as `eventsink_bulk` batches (the event
 *                                 sink's bulk option, as a deployment configures it); on with --production-like
 *   PEXIP_SIM_SEED                seeds the simulator's randomness (reproducible chaos)
 *   GENESYS_SIM_WIDGET_URL        the agent desktop's interaction widget URL template (Genesys's
 *                                 `{{pcConversationId}}`… placeholders); `npm start` sets it to the Agent App it serves
 */
export interface PexipKnobs {
  propagationDelayMs: number;
  managementRateLimit: RateLimit | undefined;
  faults: SimFaults;
  seed: number | undefined;
  /** the event sink posts batches (`eventsink_bulk`), not one event per request */
  sinkBulk: boolean;
}

export interface GenesysKnobs {
  /** unset: the desktop shows no widget */
  widgetUrl: string | undefined;
}

export interface VendorKnobs {
  pexip: PexipKnobs;
  genesys: GenesysKnobs;
}

/** Pexip takes ~90 s to push a new room to its conference nodes; locally 3 s keep the rule visible without slowing the demo. */
export const LOCAL_PROPAGATION_DELAY_MS = 3000;
export const PRODUCTION_PROPAGATION_DELAY_MS = 90_000;
/** A figure chosen for load runs: Pexip documents no number for its management API's limit. */
export const PRODUCTION_MANAGEMENT_RATE_LIMIT: RateLimit = { requests: 600, perMs: 60_000 };

const probability = z.coerce.number().min(0).max(1);
const millis = z.coerce.number().int().min(0).max(3_600_000);
const rateLimit = z.union([
  z.literal('off'),
  z
    .string()
    .regex(/^\d+\/\d+(\.\d+)?$/, 'expected "<requests>/<seconds>", e.g. 600/60')
    .transform((s) => {
      const [requests, seconds] = s.split('/').map(Number) as [number, number];
      return { requests, perMs: Math.round(seconds * 1000) };
    })
    .refine((r) => r.requests > 0 && r.perMs > 0, 'requests and seconds must be positive'),
]);

const knobEnv = z.object({
  PEXIP_SIM_PROPAGATION_MS: millis.optional(),
  PEXIP_SIM_RATE_LIMIT: rateLimit.optional(),
  PEXIP_SIM_ERROR_RATE: probability.optional(),
  PEXIP_SIM_LATENCY_MS: millis.optional(),
  PEXIP_SIM_SINK_DROP: probability.optional(),
  PEXIP_SIM_SINK_DUPLICATE: probability.optional(),
  PEXIP_SIM_SINK_REORDER: probability.optional(),
  PEXIP_SIM_SINK_DELAY_MS: millis.optional(),
  PEXIP_SIM_SEED: z.coerce.number().int().optional(),
  PEXIP_SIM_SINK_BULK: z.enum(['true', 'false']).optional(),
  GENESYS_SIM_WIDGET_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/** Parses the knobs; a bad value is an error naming the variable. */
export function parseVendorKnobs(env: Record<string, string | undefined>, argv: readonly string[] = []): VendorKnobs {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => (k.startsWith('PEXIP_SIM_') || k === 'GENESYS_SIM_WIDGET_URL') && v !== undefined && v.trim() !== ''));
  const parsed = knobEnv.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.')}: ${issue.message}`);
  }
  const k = parsed.data;
  const productionLike = argv.includes('--production-like');
  const sink: NonNullable<SimFaults['sink']> = {
    ...(k.PEXIP_SIM_SINK_DROP !== undefined ? { drop: k.PEXIP_SIM_SINK_DROP } : {}),
    ...(k.PEXIP_SIM_SINK_DUPLICATE !== undefined ? { duplicate: k.PEXIP_SIM_SINK_DUPLICATE } : {}),
    ...(k.PEXIP_SIM_SINK_REORDER !== undefined ? { reorder: k.PEXIP_SIM_SINK_REORDER } : {}),
    ...(k.PEXIP_SIM_SINK_DELAY_MS !== undefined ? { delayMs: k.PEXIP_SIM_SINK_DELAY_MS } : {}),
  };
  const errorRate = k.PEXIP_SIM_ERROR_RATE;
  const faults: SimFaults = {
    ...(k.PEXIP_SIM_LATENCY_MS ? { latencyMs: k.PEXIP_SIM_LATENCY_MS } : {}),
    ...(errorRate ? { errorRate: { configuration: errorRate, status: errorRate, command: errorRate } } : {}),
    ...(Object.keys(sink).length > 0 ? { sink } : {}),
  };
  const limit = k.PEXIP_SIM_RATE_LIMIT;
  return {
    pexip: {
      propagationDelayMs: k.PEXIP_SIM_PROPAGATION_MS ?? (productionLike ? PRODUCTION_PROPAGATION_DELAY_MS : LOCAL_PROPAGATION_DELAY_MS),
      managementRateLimit: limit === 'off' ? undefined : limit ?? (productionLike ? PRODUCTION_MANAGEMENT_RATE_LIMIT : undefined),
      faults,
      seed: k.PEXIP_SIM_SEED,
      // one request per event through one node's ordered queue caps a load run at the host's round trip
      sinkBulk: k.PEXIP_SIM_SINK_BULK === undefined ? productionLike : k.PEXIP_SIM_SINK_BULK === 'true',
    },
    genesys: { widgetUrl: k.GENESYS_SIM_WIDGET_URL },
  };
}

/** A small seeded generator (mulberry32) for reproducible fault draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

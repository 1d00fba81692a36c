import type { ApiHandler } from './types';

export interface DependencyProbe {
  name: string;
  /** resolves with readiness; a probe must answer within its own timeout */
  check(): Promise<{ ready: boolean; detail?: string }>;
}

export interface HealthDeps {
  now(): Date;
  probes: DependencyProbe[];
  /** a probe slower than this counts as not ready (its clients retry; /health must not wait on them) */
  probeTimeoutMs?: number;
  /** probe answers are reused this long, so frequent health checks do not spend vendor rate limits */
  cacheMs?: number;
}

type ProbeResult = { name: string; ready: boolean; detail?: string };

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * v1's `{"status":"alive","timestamp":…}`, extended with each dependency's readiness. The status
 * stays "alive" while the process serves requests (v1 callers read only that); an unready
 * dependency turns the HTTP status to 503 so load balancers notice.
 */
export function healthHandler(deps: HealthDeps): ApiHandler {
  const cacheMs = deps.cacheMs ?? 10_000;
  let last: { at: number; results: Promise<ProbeResult[]> } | undefined;
  const probeAll = (): Promise<ProbeResult[]> =>
    Promise.all(
      deps.probes.map(async (probe) => {
        try {
          return { name: probe.name, ...(await within(deps.probeTimeoutMs ?? 3000, probe.check())) };
        } catch (error) {
          return { name: probe.name, ready: false, detail: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  return async () => {
    const now = deps.now().getTime();
    // concurrent checks share one round of probes too
    if (!last || now - last.at >= cacheMs || now < last.at) last = { at: now, results: probeAll() };
    const results = await last.results;
    const ready = results.every((r) => r.ready);
    return {
      status: ready ? 200 : 503,
      body: {
        status: 'alive',
        timestamp: deps.now().toISOString(),
        ready,
        dependencies: Object.fromEntries(results.map(({ name, ...rest }) => [name, rest])),
      },
    };
  };
}

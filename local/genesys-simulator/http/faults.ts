import type { ScriptedFault, SimEndpoint, SimFaults } from '../options';
import { HttpError } from './errors';

/** The configured failures: latency, random 503s per endpoint family and scripted answers. */
export class FaultInjector {
  private faults: SimFaults = {};
  private readonly scripts = new Map<SimEndpoint, ScriptedFault[]>();

  constructor(
    faults: SimFaults,
    private readonly random: () => number,
  ) {
    this.set(faults);
  }

  get current(): SimFaults {
    return this.faults;
  }

  set(faults: SimFaults): void {
    this.faults = { ...faults };
    this.scripts.clear();
    for (const [k, v] of Object.entries(faults.script ?? {})) this.scripts.set(k as SimEndpoint, v.map((s) => ({ ...s })));
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** Throws the scripted or random failure for this request, or says how long to hang; `{}` lets it through. */
  apply(endpoint: SimEndpoint): { hangMs?: number } {
    const queue = this.scripts.get(endpoint);
    const next = queue?.[0];
    if (next) {
      next.times--;
      if (next.times <= 0) queue.shift();
      if (next.hangMs) return { hangMs: next.hangMs };
      const headers: Record<string, string> = next.retryAfter !== undefined ? { 'retry-after': String(next.retryAfter) } : {};
      const message = next.status === 429 ? `Rate limit exceeded the maximum. Retry in ${next.retryAfter ?? 1} seconds` : 'Simulated failure';
      throw new HttpError(next.status, next.status === 429 ? 'too.many.requests' : 'internal.server.error', message, headers);
    }
    if (this.random() < (this.faults.errorRate?.[endpoint] ?? 0)) throw new HttpError(503, 'service.unavailable', 'Simulated outage');
    return {};
  }
}

import type { ScriptedFault, SimEndpoint, SimFaults } from './types';
import { HttpError } from './http';

/** Applies the fault knobs to one request of an endpoint family: latency, scripted answers, random 503s. */
export class FaultGate {
  constructor(
    private faults: SimFaults,
    private readonly random: () => number,
  ) {}

  get current(): SimFaults {
    return this.faults;
  }

  set(faults: SimFaults): void {
    this.faults = faults;
  }

  private nextScripted(endpoint: SimEndpoint): ScriptedFault | undefined {
    const list = this.faults.script?.[endpoint];
    const head = list?.[0];
    if (!list || !head) return undefined;
    head.times -= 1;
    if (head.times <= 0) list.shift();
    return head;
  }

  /** Waits the latency, then throws the injected answer if one is due. */
  async apply(endpoint: SimEndpoint | undefined): Promise<void> {
    const { latencyMs } = this.faults;
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    if (!endpoint) return;
    const scripted = this.nextScripted(endpoint);
    if (scripted) {
      if (scripted.hangMs) await new Promise((r) => setTimeout(r, scripted.hangMs));
      throw new HttpError(scripted.status, { error: `injected fault ${scripted.status}` }, scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
    }
    const rate = this.faults.errorRate?.[endpoint] ?? 0;
    if (rate > 0 && this.random() < rate) throw new HttpError(503, { error: 'injected fault 503' });
  }
}

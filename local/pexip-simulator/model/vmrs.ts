import type { SimClock } from '../clock';

/** A VMR as the configuration API stores it. */
export interface Vmr {
  id: number;
  name: string;
  service_type: string;
  allow_guests: boolean;
  pin: string;
  guest_pin: string;
  tag: string;
  description: string;
  aliases: { id: number; alias: string; conference: string; creation_time: string; description: string }[];
  creation_time: string;
  resource_uri: string;
  /**
   * What the conference nodes know about this VMR: each configuration change reaches them only
   * after the propagation delay, so a join on a fresh room (or with a just-changed PIN) fails
   * exactly as it does on Pexip.
   */
  nodeHistory: { visibleAt: number; config: NodeConfig | undefined }[];
}

export interface NodeConfig {
  name: string;
  aliases: string[];
  pin: string;
  guest_pin: string;
  allow_guests: boolean;
  tag: string;
}

export interface NewVmr {
  name: string;
  pin: string;
  guest_pin: string;
  allow_guests: boolean;
  tag: string;
  description: string;
  service_type: string;
  aliases: string[];
}

export type VmrPatch = Partial<Pick<Vmr, 'tag' | 'pin' | 'guest_pin' | 'allow_guests' | 'description'>>;

/**
 * The configuration database of the management node, and what the conferencing nodes have of it:
 * every change becomes visible to the nodes only `propagationDelayMs` later.
 */
export class VmrStore {
  readonly vmrs = new Map<number, Vmr>();
  /** deleted VMRs the nodes still serve until the deletion reaches them */
  private readonly ghosts: Vmr[] = [];
  private nextId = 1;
  private nextAliasId = 1;

  constructor(
    private readonly clock: SimClock,
    private readonly propagation: { propagationDelayMs: number },
  ) {}

  private iso(ms: number): string {
    return new Date(ms).toISOString().replace('Z', '');
  }

  private nodeConfigOf(vmr: Vmr): NodeConfig {
    return {
      name: vmr.name,
      aliases: vmr.aliases.map((a) => a.alias),
      pin: vmr.pin,
      guest_pin: vmr.guest_pin,
      allow_guests: vmr.allow_guests,
      tag: vmr.tag,
    };
  }

  private recordConfig(vmr: Vmr, config: NodeConfig | undefined): void {
    vmr.nodeHistory.push({ visibleAt: this.clock.now() + this.propagation.propagationDelayMs, config });
  }

  findByName(name: string): Vmr | undefined {
    for (const v of this.vmrs.values()) if (v.name === name) return v;
    return undefined;
  }

  aliasTaken(alias: string): boolean {
    for (const v of this.vmrs.values()) if (v.name === alias || v.aliases.some((a) => a.alias === alias)) return true;
    return false;
  }

  create(input: NewVmr): Vmr {
    const id = this.nextId++;
    const now = this.clock.now();
    const resource = `/api/admin/configuration/v1/conference/${id}/`;
    const vmr: Vmr = {
      id,
      name: input.name,
      service_type: input.service_type,
      allow_guests: input.allow_guests,
      pin: input.pin,
      guest_pin: input.guest_pin,
      tag: input.tag,
      description: input.description,
      aliases: input.aliases.map((alias) => ({ id: this.nextAliasId++, alias, conference: resource, creation_time: this.iso(now), description: '' })),
      creation_time: this.iso(now),
      resource_uri: resource,
      nodeHistory: [],
    };
    this.vmrs.set(id, vmr);
    this.recordConfig(vmr, this.nodeConfigOf(vmr));
    return vmr;
  }

  update(vmr: Vmr, patch: VmrPatch): void {
    Object.assign(vmr, patch);
    this.recordConfig(vmr, this.nodeConfigOf(vmr));
  }

  delete(vmr: Vmr): void {
    this.vmrs.delete(vmr.id);
    // the nodes keep serving the deleted room until the change reaches them
    const ghost = { ...vmr, id: -vmr.id, nodeHistory: [...vmr.nodeHistory] };
    this.recordConfig(ghost, undefined);
    this.ghosts.push(ghost);
  }

  /** The VMR a conferencing node would route this alias to right now. */
  nodeLookup(alias: string): NodeConfig | undefined {
    const now = this.clock.now();
    for (const v of [...this.vmrs.values(), ...this.ghosts]) {
      const visible = v.nodeHistory.filter((h) => h.visibleAt <= now);
      const config = visible[visible.length - 1]?.config;
      if (config && (config.name === alias || config.aliases.includes(alias))) return config;
    }
    return undefined;
  }
}

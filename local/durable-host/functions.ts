import type { FunctionsCoreStandIn } from '../functions-core/coreApi';
import type { CapturedFunction, CoreBinding } from '../functions-core/types';
import { triggerBinding } from './invoke';

export interface HttpFunction {
  fn: CapturedFunction;
  trigger: CoreBinding;
  /** route template without leading slash, e.g. `room/{room_name}` */
  route: string;
  /** upper case; empty means every method */
  methods: string[];
}

/**
 * The captured registrations, sorted by trigger. Function names are case-insensitive in Azure
 * Functions (and entity names are lower-cased in entity ids), so lookups are too.
 */
export class AppFunctions {
  readonly orchestrations = new Map<string, CapturedFunction>();
  readonly activities = new Map<string, CapturedFunction>();
  readonly entities = new Map<string, CapturedFunction>();
  readonly http: HttpFunction[] = [];
  readonly timers: { fn: CapturedFunction; trigger: CoreBinding; schedule: string }[] = [];
  readonly serviceBus: { fn: CapturedFunction; trigger: CoreBinding; queueName: string }[] = [];
  readonly unsupported: string[] = [];

  constructor(core: FunctionsCoreStandIn) {
    for (const fn of core.functions.values()) {
      const [, trigger] = triggerBinding(fn);
      const key = fn.metadata.name.toLowerCase();
      switch (trigger.type) {
        case 'orchestrationTrigger':
          this.orchestrations.set(key, fn);
          break;
        case 'activityTrigger':
          this.activities.set(key, fn);
          break;
        case 'entityTrigger':
          this.entities.set(key, fn);
          break;
        case 'httpTrigger':
          this.http.push({
            fn,
            trigger,
            route: String(trigger.route ?? fn.metadata.name).replace(/^\/+/, ''),
            methods: ((trigger.methods as string[] | undefined) ?? []).map((m) => m.toUpperCase()),
          });
          break;
        case 'timerTrigger':
          this.timers.push({ fn, trigger, schedule: String(trigger.schedule) });
          break;
        case 'serviceBusTrigger':
          if (typeof trigger.queueName === 'string') this.serviceBus.push({ fn, trigger, queueName: trigger.queueName });
          else this.unsupported.push(fn.metadata.name);
          break;
        default:
          this.unsupported.push(fn.metadata.name);
      }
    }
  }

  orchestration(name: string): CapturedFunction | undefined {
    return this.orchestrations.get(name.toLowerCase());
  }

  activity(name: string): CapturedFunction | undefined {
    return this.activities.get(name.toLowerCase());
  }

  entity(name: string): CapturedFunction | undefined {
    return this.entities.get(name.toLowerCase());
  }

  queueNames(): string[] {
    return [...new Set(this.serviceBus.map((s) => s.queueName))];
  }
}

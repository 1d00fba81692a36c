import type { Logger } from '../../src/logging/logger';
import { ActivityRunner } from './activities';
import type { Clock, EngineContext, EngineOptions } from './engineContext';
import { EntityRunner } from './entities';
import { EpisodeRunner } from './episodes';
import type { AppFunctions } from './functions';
import { InstanceOperations, type DeliveryOutcome } from './instances';
import type { FunctionInvoker } from './invoke';
import type { ActivityWork, HostStore } from './store';

export { ConflictError, type Clock, type EngineOptions } from './engineContext';
export { entityIdOf, parseEntityId } from './entities';
export { timeSpan } from './episodes';
export { EMPTY_BOOK } from './book';

/**
 * The Durable Task side of the protocol, as one object for the dispatcher and the management
 * API: client operations on instances (instances.ts), orchestration episodes (episodes.ts, with
 * action numbering in actionScheduler.ts and timers in timers.ts), activities (activities.ts)
 * and entities (entities.ts). Semantics that durable-functions leaves to the host live in those
 * parts: sequence numbers, hidden retry timers, long-timer segments, nondeterminism detection,
 * open tasks keeping an instance Running.
 */
export class DurableEngine {
  private readonly instances: InstanceOperations;
  private readonly episodes: EpisodeRunner;
  private readonly activities: ActivityRunner;
  private readonly entities: EntityRunner;

  constructor(store: HostStore, functions: AppFunctions, invoker: FunctionInvoker, clock: Clock, logger: Logger, options: EngineOptions) {
    const ctx: EngineContext = { store, functions, invoker, clock, logger, options };
    this.instances = new InstanceOperations(ctx);
    this.episodes = new EpisodeRunner(ctx);
    this.activities = new ActivityRunner(ctx);
    this.entities = new EntityRunner(ctx);
  }

  startInstance(name: string, instanceId: string, inputJson: string | null): void {
    this.instances.start(name, instanceId, inputJson);
  }

  raiseEvent(instanceId: string, eventName: string, inputJson: string | null): DeliveryOutcome {
    return this.instances.raiseEvent(instanceId, eventName, inputJson);
  }

  terminate(instanceId: string, reason: string | null): DeliveryOutcome {
    return this.instances.terminate(instanceId, reason);
  }

  purge(instanceIds: string[]): number {
    return this.instances.purge(instanceIds);
  }

  signalEntity(entityName: string, key: string, operation: string, inputJson: string | null): void {
    this.entities.signal(entityName, key, operation, inputJson);
  }

  readEntity(entityName: string, key: string): { exists: boolean; state: unknown } {
    return this.entities.read(entityName, key);
  }

  /** Runs one episode of an instance with the inbox messages that are due; false if none were. */
  runEpisode(instanceId: string): Promise<boolean> {
    return this.episodes.run(instanceId);
  }

  runActivity(work: ActivityWork): Promise<void> {
    return this.activities.run(work);
  }

  runEntityBatch(entityId: string): Promise<void> {
    return this.entities.runBatch(entityId);
  }
}

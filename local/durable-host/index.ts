import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportHostSettings } from '../../src/config';
import { createLogger, type Logger } from '../../src/logging/logger';
import { createFunctionsCore, type FunctionsCoreStandIn } from '../functions-core/coreApi';
import { installFunctionsCore } from '../functions-core/install';
import { createClock, Dispatcher } from './dispatcher';
import { DurableEngine } from './engine';
import { AppFunctions } from './functions';
import { formatHistory, type HistoryEvent } from './history';
import { createHostServer } from './httpServer';
import { FunctionInvoker } from './invoke';
import { durableClientData, ManagementApi } from './managementApi';
import { HostStore } from './store';

export type { FunctionsCoreStandIn } from '../functions-core/coreApi';
export type { HistoryEvent } from './history';
export { EventType, formatHistory } from './history';

export interface LocalHostOptions {
  /** where the SQLite state lives (MAXCONF_DATA_DIR) */
  dataDir: string;
  /** 0 = a random free port; default 7071 */
  port?: number;
  /** 'virtual': time moves only through advance(); default 'real' */
  clock?: 'real' | 'virtual';
  logger?: Logger;
  /** registers the app's functions against the stand-in core; default: the compiled `main` entry */
  loadApp?: (core: FunctionsCoreStandIn) => void;
  /** task hub named in the client binding and URLs; default 'MaxConfLocal' */
  taskHubName?: string;
  /** host.json `extensions.http.routePrefix`; MaxConf uses '' */
  routePrefix?: string;
  /** DF splits longer timers into segments (Azure Storage: 6 days) */
  maximumShortTimerMs?: number;
  /** segment length of split timers (Azure Storage: 3 days) */
  longRunningTimerIntervalMs?: number;
  /** deliveries before a queue message is dead-lettered (Service Bus default 10) */
  maxDeliveryCount?: number;
  /** the interface to listen on; default 127.0.0.1 */
  hostname?: string;
  /** request bodies over this many bytes get 413 before they are read; default 1 MiB */
  maxBodyBytes?: number;
  /** browser origins allowed to call the app's HTTP triggers (`Host.CORS`); default none */
  corsOrigins?: readonly string[];
}

export interface LocalHost {
  /** http://127.0.0.1:<port> */
  url: string;
  stop(): Promise<void>;
  /** virtual clock only: moves time forward, firing what falls due in order */
  advance(ms: number): Promise<void>;
  /** resolves when nothing is runnable now (only future timers remain) */
  idle(): Promise<void>;
  /** delivers a Service Bus queue message to the app's queue trigger (at-least-once) */
  enqueue(queueName: string, message: unknown): Promise<void>;
  deadLetters(queueName: string): { message: unknown; reason: string }[];
  /** the stored history of the instance's current execution, in DTFx JSON shape */
  history(instanceId: string): HistoryEvent[];
  /** the history as readable lines */
  historyText(instanceId: string): string;
  /** the host's current time (virtual or real) */
  now(): Date;
  /** names of the captured functions */
  functionNames(): string[];
}

const DAY = 86_400_000;

/** The compiled (or, under ts-jest, source) `main` entry, as package.json names it. */
export function mainEntryPath(): string {
  return join(__dirname, '..', '..', 'src', 'functions', 'index');
}

function loadMainEntry(core: FunctionsCoreStandIn): void {
  const uninstall = installFunctionsCore(core);
  try {
    // the entry is chosen at run time (dist or source), so it is loaded with a plain require
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(mainEntryPath());
  } finally {
    // @azure/functions caches the core module at its first registration, so it is safe to undo
    uninstall();
  }
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const logger = options.logger ?? createLogger({ base: { component: 'local-host' } });
  const core = createFunctionsCore({
    log: (level, category, message) => {
      if (level === 'error' || level === 'critical') logger.error({ category }, message);
      else if (level === 'warning') logger.warn({ category }, message);
      else logger.debug({ category }, message);
    },
  });
  (options.loadApp ?? loadMainEntry)(core);
  for (const hook of core.hooks.get('appStart') ?? []) await hook({ hookData: {}, appHookData: {}, functionAppDirectory: process.cwd() });

  const functions = new AppFunctions(core);
  if (functions.unsupported.length > 0) logger.warn({ functions: functions.unsupported }, 'functions with triggers the local host does not run');
  const store = new HostStore(options.dataDir);
  const clock = createClock(options.clock ?? 'real');
  const invoker = new FunctionInvoker(core, logger);
  const taskHubName = options.taskHubName ?? 'MaxConfLocal';
  const engine = new DurableEngine(store, functions, invoker, clock, logger, {
    maximumShortTimerMs: options.maximumShortTimerMs ?? 6 * DAY,
    longRunningTimerIntervalMs: options.longRunningTimerIntervalMs ?? 3 * DAY,
    taskHubName,
  });

  let origin = '';
  const clientData = () => durableClientData(origin, taskHubName);
  let dispatcher: Dispatcher;
  try {
    dispatcher = new Dispatcher(engine, store, functions, invoker, clock, logger, {
      maxDeliveryCount: options.maxDeliveryCount ?? 10,
      clientData,
    });
  } catch (error) {
    // an app the host refuses to run (a schedule NCRONTAB rejects) leaves no open database behind
    store.close();
    throw error;
  }
  const management = new ManagementApi(engine, store, taskHubName, () => dispatcher.kick());
  const server = createHostServer({
    routePrefix: options.routePrefix ?? '',
    management,
    functions,
    invoker,
    logger,
    clientData,
    maxBodyBytes: options.maxBodyBytes,
    ...(options.corsOrigins ? { cors: { origins: options.corsOrigins } } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7071, options.hostname ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostname = options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : '127.0.0.1';
  origin = `http://${hostname}:${port}`;
  // durable-functions rewrites client URLs to localhost:7071 unless the host's name is published
  exportHostSettings({ WEBSITE_HOSTNAME: `${hostname}:${port}` });
  dispatcher.kick();

  let stopped = false;
  return {
    url: origin,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.stop();
      for (const hook of core.hooks.get('appTerminate') ?? []) await hook({ hookData: {}, appHookData: {} });
      store.close();
    },
    async advance(ms: number) {
      if (clock.kind !== 'virtual') throw new Error('advance() needs a host started with clock: "virtual"');
      const target = clock.now() + ms;
      for (;;) {
        await dispatcher.idle();
        const next = dispatcher.nextDue();
        if (next === undefined || next > target) break;
        clock.set(next);
      }
      clock.set(target);
      await dispatcher.idle();
    },
    idle: () => dispatcher.idle(),
    async enqueue(queueName: string, message: unknown) {
      store.queues.add(queueName, JSON.stringify(message ?? null), clock.now());
      dispatcher.kick();
    },
    deadLetters: (queueName) => store.queues.deadLetters(queueName).map((d) => ({ message: JSON.parse(d.body) as unknown, reason: d.reason })),
    history: (instanceId) => store.history.events(instanceId),
    historyText: (instanceId) => formatHistory(store.history.events(instanceId)),
    now: () => new Date(clock.now()),
    functionNames: () => [...core.functions.keys()],
  };
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFunctionsCore, type FunctionsCoreStandIn } from '../../local/functions-core/coreApi';
import type { CoreBinding } from '../../local/functions-core/types';
import type { Registration } from '../../src/functions/registration';

/** Loads the Azure `main` entry against a stand-in worker core module, as the worker would. */
function loadMainEntry(env: Record<string, string>): { core: FunctionsCoreStandIn; registrations: Registration[] } {
  const core = createFunctionsCore();
  let registrations: Registration[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    jest.isolateModules(() => {
      jest.doMock('@azure/functions-core', () => core.module, { virtual: true });
      const { buildRegistrations } = require('../../src/functions/registrations') as typeof import('../../src/functions/registrations');
      const { createAppServices } = require('../../src/functions/services') as typeof import('../../src/functions/services');
      const { loadConfig } = require('../../src/config') as typeof import('../../src/config');
      const { createLogger } = require('../../src/logging/logger') as typeof import('../../src/logging/logger');
      require('../../src/functions/index');
      registrations = buildRegistrations(createAppServices(loadConfig(), createLogger({ level: 'silent' })));
    });
  } finally {
    process.env = saved;
  }
  return { core, registrations };
}

const TRIGGER_OF: Record<Registration['kind'], string> = {
  http: 'httpTrigger',
  timer: 'timerTrigger',
  serviceBusQueue: 'serviceBusTrigger',
  orchestration: 'orchestrationTrigger',
  activity: 'activityTrigger',
  entity: 'entityTrigger',
};

function triggerOf(bindings: Record<string, CoreBinding>): CoreBinding | undefined {
  return Object.values(bindings).find((b) => b.direction === 'in' && b.type.endsWith('Trigger'));
}

describe('the Azure main entry', () => {
  const { core, registrations } = loadMainEntry({ MAXCONF_ENV: 'local', MAXCONF_DATA_DIR: mkdtempSync(join(tmpdir(), 'mc-reg-')) });

  it('registers exactly the functions of the registration list', () => {
    expect([...core.functions.keys()].sort()).toEqual(registrations.map((r) => r.name).sort());
    expect(core.programmingModel()?.name).toBe('@azure/functions');
  });

  it.each(registrations.map((r) => [r.name, r] as const))('%s has the trigger and bindings its kind needs', (name, r) => {
    const { metadata } = core.functions.get(name)!;
    const trigger = triggerOf(metadata.bindings);
    expect(trigger?.type).toBe(TRIGGER_OF[r.kind]);
    const durableClient = Object.values(metadata.bindings).some((b) => b.type === 'durableClient' && b.direction === 'in');
    switch (r.kind) {
      case 'http':
        expect(trigger).toMatchObject({ route: r.route, methods: r.methods, authLevel: 'anonymous' });
        expect(metadata.bindings.$return).toMatchObject({ type: 'http', direction: 'out' });
        expect(durableClient).toBe(r.durableClient);
        break;
      case 'timer':
        expect(trigger).toMatchObject({ schedule: r.schedule });
        expect(durableClient).toBe(r.durableClient);
        break;
      case 'serviceBusQueue':
        expect(trigger).toMatchObject({ connection: r.connection, queueName: r.queueName });
        expect(durableClient).toBe(r.durableClient);
        break;
      default:
        expect(durableClient).toBe(false);
    }
  });

  it('serves GET /health with v1 fields through the captured callback', async () => {
    const { metadata, callback } = core.functions.get('health')!;
    const model = core.programmingModel()!;
    const invocation = model.getInvocationModel({
      invocationId: 'inv-1',
      request: {
        invocationId: 'inv-1',
        functionId: 'health',
        inputData: [
          {
            name: Object.keys(metadata.bindings).find((k) => metadata.bindings[k]!.type === 'httpTrigger')!,
            data: { http: { method: 'GET', url: 'http://localhost:7071/health', headers: {}, query: {}, params: {} } },
          },
        ],
        triggerMetadata: {},
      },
      metadata: { name: 'health', bindings: metadata.bindings },
      log: () => undefined,
    });
    const { context, inputs } = await invocation.getArguments();
    const result = await invocation.invokeFunction(context, inputs, callback);
    const response = (await invocation.getResponse(context, result)) as { returnValue: { http: { statusCode: string; body: { bytes: Uint8Array } } } };
    expect(response.returnValue.http.statusCode).toBe('200');
    const body = JSON.parse(Buffer.from(response.returnValue.http.body.bytes).toString('utf8'));
    expect(body).toMatchObject({ status: 'alive' });
    expect(new Date(body.timestamp).getTime()).not.toBeNaN();
  });
});

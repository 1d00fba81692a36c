import { startAzurite, type Azurite } from '../../local/azurite';
import { parseConfig } from '../../src/config';
import { createAppServices } from '../../src/functions/services';
import { createLogger } from '../../src/logging/logger';

const devSecrets = () => ({ eventSinkPassword: 'sink-pw', genesysEventsApiKey: 'events-key' });

describe('the composition root makes the storage adapters once, from config', () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  it('hands out one session index and one warm-room queue on the configured account, under the prefix', async () => {
    const config = parseConfig({ AzureWebJobsStorage: azurite.connectionString, MAXCONF_STORAGE_PREFIX: 'svcTest' }, devSecrets);
    const services = createAppServices(config, createLogger({ level: 'silent' }));
    const [index, again] = await Promise.all([services.sessionIndex(), services.sessionIndex()]);
    expect(again).toBe(index);
    expect(await services.warmRoomQueue()).toBe(await services.warmRoomQueue());

    const record = { sessionId: 'mclocal-svc1', videoCallId: 'vc1', phase: 'waiting_for_citizen' as const, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), dialAttempts: 0, revision: 1 };
    await index.upsert(record);
    // a second app on the same account and prefix sees it: the tables are the account's, not the process's
    const other = createAppServices(config, createLogger({ level: 'silent' }));
    expect(await (await other.sessionIndex()).get('mclocal-svc1')).toMatchObject({ sessionId: 'mclocal-svc1', revision: 1 });
    await (await services.warmRoomQueue()).offer({ name: 'mclocal-w1', id: 7, createdAt: new Date().toISOString() });
    expect((await (await other.warmRoomQueue()).claim())?.room.name).toBe('mclocal-w1');
  });

  it('without a storage account, asking for the index fails with the setting named', async () => {
    const services = createAppServices(parseConfig({}, devSecrets), createLogger({ level: 'silent' }));
    await expect(services.sessionIndex()).rejects.toThrow(/AzureWebJobsStorage/);
    await expect(services.warmRoomQueue()).rejects.toThrow(/AzureWebJobsStorage/);
  });
});

import type { TestHost } from '../support/localHost';
import { startFixtureHost, webhooks } from './support';

/**
 * Durable Functions refuses a custom status over 16 KB, measured as UTF-16 bytes of the JSON in
 * whole KB; the local host applies the same rule, so a status that would fail a session on Azure
 * fails it here too.
 */
describe('local durable host: the custom status limit', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  async function statusAfterSetting(chars: number) {
    const id = await api.start('bigStatus', { chars });
    await host.idle();
    return api.status(id);
  }

  it('keeps an 8,000-character status and the orchestration running', async () => {
    const status = await statusAfterSetting(8000);
    expect(status.runtimeStatus).toBe('Running');
    expect(status.customStatus).toBe('x'.repeat(8000));
  });

  it('fails the orchestration that sets a 9,000-character status, with the extension message', async () => {
    const status = await statusAfterSetting(9000);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe(
      "Orchestrator function 'bigStatus' failed: The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is 17 KB.",
    );
    expect(status.customStatus).toBeNull();
  });

  it('draws the line where the extension does: 17,406 bytes of JSON pass, 17,408 fail', async () => {
    // the JSON of an n-character string is n + 2 characters (the quotes), two bytes each
    expect((await statusAfterSetting(8701)).runtimeStatus).toBe('Running');
    expect((await statusAfterSetting(8702)).runtimeStatus).toBe('Failed');
  });
});

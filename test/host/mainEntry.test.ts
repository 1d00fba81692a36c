import { startTestHost, type TestHost } from '../support/localHost';

describe('local durable host with the real main entry', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('serves GET /health through the captured HTTP trigger', async () => {
    const response = await fetch(`${host.url}/health`);
    const body = (await response.json()) as { status: string; timestamp: string };
    expect(body.status).toBe('alive');
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
  });

  it('loads every registered function of the main entry', () => {
    expect(host.functionNames()).toContain('health');
  });

  it('answers 404 for a route no function serves', async () => {
    const response = await fetch(`${host.url}/no/such/route`);
    expect(response.status).toBe(404);
  });
});

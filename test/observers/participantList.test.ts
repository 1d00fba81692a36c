import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import { createPexipHttp, type PexipClient, createPexipClient } from '../../src/adapters/pexip';
import { pexipParticipantList } from '../../src/adapters/pexip/participantList';
import { silentLogger, testConfig } from '../pexip/helpers';

/** The reconciler's read of Pexip, over real HTTP against the simulator's status API. */
describe('all live participants, paged', () => {
  let sim: PexipSimulator;
  let client: PexipClient;
  const http = () => createPexipHttp({ baseUrl: sim.url, auth: { kind: 'basic', username: 'admin', password: 'pw' }, logger: silentLogger, retry: { maxAttempts: 1 }, sleep: async () => {} });

  beforeEach(async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' }, propagationDelayMs: 0, sipDestination: { invite: async () => ({ answered: true, dialogue: { hangUp: () => undefined } }) } });
    client = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw' }), silentLogger);
    // another slot's room on the same Pexip
    const otherSlot = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw', MAXCONF_ROOM_PREFIX: 'other-' }), silentLogger);
    for (const [owner, room] of [...['mctest-a', 'mctest-b', 'mctest-c', 'mctest-d', 'mctest-e'].map((r) => [client, r] as const), [otherSlot, 'other-f'] as const]) {
      await owner.rooms.createRoom({ name: room, guestPin: '1234', hostPin: '987654' });
      await owner.calls.dialOut({ roomName: room });
    }
  });
  afterEach(() => sim.stop());

  it('reads every page (calls grow with participants / page size) and keeps only this deployment’s rooms', async () => {
    const listing = await pexipParticipantList(http(), silentLogger, 2).listAll((room) => room.startsWith('mctest-'));
    expect(listing.complete).toBe(true);
    expect(listing.pages).toBe(3);
    expect(listing.participants.map((p) => p.conference).sort()).toEqual(['mctest-a', 'mctest-b', 'mctest-c', 'mctest-d', 'mctest-e']);
  });

  it('says the list is incomplete when a page fails, so no absence is inferred from it', async () => {
    const real = http();
    const secondPageFails: typeof real = async (request) => {
      if (request.params?.offset === 2) throw new Error('connection reset');
      return real(request);
    };
    const listing = await pexipParticipantList(secondPageFails, silentLogger, 2).listAll(() => true);
    expect(listing).toMatchObject({ complete: false, pages: 2 });
    expect(listing.participants).toHaveLength(2);

    sim.setFaults({ script: { status: [{ status: 503, times: 10 }] } });
    expect(await pexipParticipantList(http(), silentLogger, 2).listAll(() => true)).toMatchObject({ complete: false, participants: [] });
  });
});

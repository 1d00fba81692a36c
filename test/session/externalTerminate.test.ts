import { startStack, type Stack } from './stack';

const MINUTE = 60_000;

/**
 * Issue 13: an operator terminates a session with the Durable HTTP API itself
 * (`POST /runtime/webhooks/durabletask/instances/{id}/terminate`), not with MaxConf's
 * `POST /sessions/{id}/terminate`. The orchestration runs no more code, so it cannot tear its room
 * down or record its end; the reaper's next run (every five minutes) does both: the room is gone
 * from Pexip and support reads `terminated_by_support`.
 */
describe('a session terminated through the Durable HTTP API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  const onPexip = (name: string) => stack.pexip.rooms().some((r: { name: string }) => r.name === name);

  it('has its room deleted and its outcome recorded as terminated_by_support by the reaper within one run', async () => {
    const room = await stack.createRoom('vcterminate1');
    const citizen = await stack.join(room.name, room.guest_pin);
    await stack.until('the session is queued', async () => (await stack.session(room.name)).phase === 'queued', 30_000);

    const res = await fetch(`${stack.host.url}/runtime/webhooks/durabletask/instances/${room.name}/terminate?reason=${encodeURIComponent('operator cleanup')}`, { method: 'POST' });
    expect(res.status).toBe(202);
    await stack.settle();
    const raw = (await (await fetch(`${stack.host.url}/runtime/webhooks/durabletask/instances/${room.name}`)).json()) as { runtimeStatus: string };
    expect(raw.runtimeStatus).toBe('Terminated');
    // the session ran nothing after the terminate: the room is still up and support still sees it queued
    expect(onPexip(room.name)).toBe(true);
    expect((await stack.session(room.name)).phase).toBe('queued');

    // one reaper run (its schedule is every five minutes)
    await stack.host.advance(5 * MINUTE);
    await stack.settle();

    expect(onPexip(room.name)).toBe(false);
    const view = await stack.session(room.name);
    expect(view).toMatchObject({ phase: 'ended', outcome: 'terminated_by_support' });
    expect(view.endedAt).toEqual(expect.any(String));
    const listed = await stack.api('GET', '/sessions?outcome=terminated_by_support', { token: stack.support });
    expect(listed.body.sessions.map((s: { id: string }) => s.id)).toEqual([room.name]);
    // IDIM's view of the room names the outcome as well
    const gone = await stack.api('GET', `/room/${room.name}`, { token: stack.idim });
    expect(gone.status).toBe(404);
    await citizen.leave().catch(() => undefined);
  }, 120_000);
});

import type { Page } from 'playwright-core';
import type { RoomInspection } from '../../local/pexip-simulator';
import { until, widget } from './agentAppCallStack';
import { launchChromium, type LaunchedBrowser } from './chromium';
import { startCustomerCallStack, type CustomerCallStack } from './customerAppCallStack';

/**
 * The citizen's whole call through the Customer App, with real media, against the built
 * `npm start`: IDIM's create answer carries the join link, the citizen opens it, passes the device
 * check and joins; the session dials Genesys and the page waits; the agent answers in the
 * simulated desktop with the Agent App; each side decodes the other's video (getStats in each
 * page); the citizen presses "Leave call" and the session ends `completed`, its room deleted.
 * `CUSTOMER_APP_RUNS=N` repeats the call and prints the p50 of Join → dial and answer → each
 * side's video.
 */
jest.setTimeout(240_000);

let stack: CustomerCallStack;
let browser: LaunchedBrowser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startCustomerCallStack(), launchChromium()]);
  // the call waits in the queue until the test presses Answer in the desktop
  for (const agent of stack.agents) expect((await stack.genesys(`/sim/agents/${encodeURIComponent(agent.id)}/manual-answer`, {})).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

type Participant = RoomInspection['participants'][number];
const named = (room: RoomInspection | undefined, name: string): Participant | undefined => room?.participants.find((p) => p.displayName === name);
const sip = (room: RoomInspection | undefined): Participant | undefined => room?.participants.find((p) => p.protocol.toLowerCase() === 'sip');

/** Every peer connection the page makes, for the test to read its getStats() (the page's own tap wraps this one). */
const COLLECT_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const pcs = [];
  window.__pcs = pcs;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); pcs.push(this); }
  };
})();`;

/** Video frames (and keyframes) the page's open peer connections have decoded. */
const DECODED = `(async () => {
  let frames = 0;
  let keyFrames = 0;
  for (const pc of window.__pcs ?? []) {
    if (pc.connectionState === 'closed') continue;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        frames += s.framesDecoded ?? 0;
        keyFrames += s.keyFramesDecoded ?? 0;
      }
    });
  }
  return { frames, keyFrames };
})()`;

function decoded(page: Page): Promise<{ frames: number; keyFrames: number }> {
  return page.evaluate(DECODED) as Promise<{ frames: number; keyFrames: number }>;
}

const screen = (page: Page, name: string) => page.locator(`[data-screen="${name}"]`);

/** The citizen opens the join link, passes the device check and presses Join: answers the page and when Join was pressed. */
async function citizenJoins(joinUrl: string): Promise<{ page: Page; joinedAt: number }> {
  const page = await browser.context.newPage();
  await page.addInitScript({ content: COLLECT_PEER_CONNECTIONS });
  await page.goto(joinUrl);
  await screen(page, 'check').waitFor({ timeout: 30_000 });
  // the fragment is gone from the address bar before anything else runs
  expect(page.url()).not.toContain('token=');
  const join = page.getByRole('button', { name: 'Join the video call' });
  await join.waitFor();
  await until('the Join button enabled (camera open)', async () => join.isEnabled(), 20_000);
  const joinedAt = Date.now();
  await join.click();
  return { page, joinedAt };
}

async function openDesktop(agent: CustomerCallStack['agents'][number]): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(agent.desktop);
  await page.locator('button[data-action=answer]:not([disabled])').waitFor({ timeout: 60_000 });
  return page;
}

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

it('the citizen joins from the join link, waits, the agent answers, each side decodes the other, and Leave call ends it completed with the room deleted', async () => {
  const [agent] = stack.agents as [CustomerCallStack['agents'][number]];
  const { name, joinUrl } = await stack.createRoom();
  expect(new URL(joinUrl).origin).toBe(new URL(stack.customerAppUrl).origin);
  const { page: citizen, joinedAt } = await citizenJoins(joinUrl);

  // waiting: the session dials Genesys once the citizen is in the room
  await screen(citizen, 'waiting').waitFor({ timeout: 30_000 });
  await until('the SIP leg to Genesys in the room', async () => sip(await stack.room(name)), 60_000);
  process.stdout.write(`Join → dial in the room: ${Date.now() - joinedAt} ms\n`);
  await until('the page showing the queued phase', async () => (await screen(citizen, 'waiting').getAttribute('data-phase')) === 'queued', 30_000);
  const queued = await stack.session(name);
  expect(queued).toMatchObject({ phase: 'queued', dialAttempts: 1 });
  if (queued?.queue?.position !== undefined) {
    await until('the queue position on the page', async () => citizen.locator('[data-testid=position]').isVisible(), 15_000);
  }
  expect(await citizen.evaluate('localStorage.length + sessionStorage.length')).toBe(0);

  // the citizen's camera off while alone: the room forwards no video to the page, so frames
  // decoded from now on can only be the agent's
  await citizen.getByRole('button', { name: 'Turn camera off' }).click();
  await until('the citizen video-muted in the room', async () => named(await stack.room(name), 'Citizen')?.isVideoMuted === true);
  const quiet = await decoded(citizen);
  await new Promise((r) => setTimeout(r, 1500));
  expect((await decoded(citizen)).frames - quiet.frames).toBeLessThan(5);

  const desktop = await openDesktop(agent);
  const answered = Date.now();
  await desktop.locator('button[data-action=answer]:not([disabled])').click();
  const before = await decoded(citizen);
  await until("the agent's video decoded in the citizen's page", async () => (await decoded(citizen)).frames - before.frames > 10, 60_000);
  process.stdout.write(`answer → agent video decoded by the citizen: ${Date.now() - answered} ms\n`);
  await screen(citizen, 'in-call').waitFor({ timeout: 30_000 });
  expect(named(await stack.room(name), agent.name)!.media!.received.video.packets).toBeGreaterThan(10);

  // the citizen's camera back on: the agent's widget decodes the citizen's video
  await citizen.getByRole('button', { name: 'Turn camera on' }).click();
  const quality = widget(desktop).locator('[data-testid=quality]');
  await until("the citizen's video decoded in the agent's widget", async () => Number(await quality.getAttribute('data-frames-decoded')) > 10, 30_000);
  await until('the page’s own quality indicator counting decoded frames', async () => Number(await citizen.locator('[data-testid=quality]').getAttribute('data-frames-decoded')) > 0, 10_000);

  // Leave call: the session ends at once (no reconnect grace), completed, and the room is deleted
  const left = Date.now();
  await citizen.getByRole('button', { name: 'Leave call' }).click();
  await screen(citizen, 'ended').waitFor({ timeout: 20_000 });
  expect(await screen(citizen, 'ended').getAttribute('data-ended')).toBe('completed');
  await until('the session ended completed', async () => {
    const s = await stack.session(name);
    return s?.phase === 'ended' && s.outcome === 'completed';
  }, 30_000);
  await until('the room deleted', async () => (await stack.room(name)) === undefined, 30_000);
  expect(Date.now() - left).toBeLessThan(60_000);
  await Promise.all([citizen.close(), desktop.close()]);
});

it('CUSTOMER_APP_RUNS calls (default 1): p50 of Join → dial, answer → the citizen decodes the agent, answer → the agent decodes the citizen', async () => {
  const runs = Number(process.env.CUSTOMER_APP_RUNS ?? 1);
  const [agent] = stack.agents as [CustomerCallStack['agents'][number]];
  const dial: number[] = [];
  const toCitizen: number[] = [];
  const toAgent: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { name, joinUrl } = await stack.createRoom();
    const { page: citizen, joinedAt } = await citizenJoins(joinUrl);
    await until('the SIP leg to Genesys in the room', async () => sip(await stack.room(name)), 60_000);
    dial.push(Date.now() - joinedAt);
    const desktop = await openDesktop(agent);
    // the citizen's camera stays on: the agent's widget can only decode the citizen's video; the
    // citizen's page sees the agent's video arrive as the keyframe the room asks the agent for
    // when it becomes the page's source (alone, the page got its own video back)
    const before = await decoded(citizen);
    const answered = Date.now();
    await desktop.locator('button[data-action=answer]:not([disabled])').click();
    const quality = widget(desktop).locator('[data-testid=quality]');
    const agentSide = until('the widget decoding the citizen', async () => (Number(await quality.getAttribute('data-frames-decoded')) > 0 ? Date.now() - answered : undefined), 60_000);
    const citizenSide = until('the agent’s keyframe decoded by the citizen', async () => {
      const agentLeg = named(await stack.room(name), agent.name);
      return (agentLeg?.media?.received.video.packets ?? 0) > 0 && (await decoded(citizen)).keyFrames > before.keyFrames ? Date.now() - answered : undefined;
    }, 60_000);
    const [a, c] = await Promise.all([agentSide, citizenSide]);
    toAgent.push(a);
    toCitizen.push(c);
    await citizen.getByRole('button', { name: 'Leave call' }).click();
    await until('the session ended', async () => (await stack.session(name))?.phase === 'ended', 30_000);
    await Promise.all([citizen.close(), desktop.close()]);
  }
  process.stdout.write(
    `over ${runs} run(s): Join → dial p50 ${p50(dial)} ms [${dial.join(', ')}]; ` +
      `answer → citizen decodes agent p50 ${p50(toCitizen)} ms [${toCitizen.join(', ')}]; ` +
      `answer → agent decodes citizen p50 ${p50(toAgent)} ms [${toAgent.join(', ')}] (the widget's indicator reads stats every 2 s)\n`,
  );
  expect(dial).toHaveLength(runs);
}, Number(process.env.CUSTOMER_APP_RUNS ?? 1) * 120_000 + 30_000);

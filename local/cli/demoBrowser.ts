import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { encodeUui } from '../../src/domain/uui';
import { launchChromium, type LaunchedBrowser } from '../browser/chromium';
import { CITIZEN_PAGE } from '../browser/citizenPage';
import type { RoomInspection } from '../pexip-simulator';
import { DemoError, type DemoTarget } from './demoTarget';

/**
 * `npm run demo -- --browser`: the whole call with real media in headless Chromium against a
 * running `npm start`. The citizen is a page with Chromium's fake camera and microphone; the
 * agent uses the simulated Genesys desktop, whose Agent App widget (the built app `npm start`
 * serves) signs in, finds the room and joins video-only. Each step prints what the page shows
 * and what the Pexip simulator's room saw.
 */

export interface BrowserDemoOptions {
  target: DemoTarget;
  stepTimeoutMs: number;
  write(line: string): void;
  /** a browser to use (tests pass theirs); otherwise Debian's Chromium is launched and closed */
  browser?: LaunchedBrowser;
}

export interface BrowserDemoResult {
  roomName: string;
  outcome: string | null;
  roomGone: boolean;
  /** the agent's Answer → the first video packets from the agent's leg in the room */
  answerToVideoMs: number;
}

interface Agent {
  id: string;
  name: string;
  desktop: string;
}

type Participant = RoomInspection['participants'][number];

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    throw new DemoError(`${what} is missing (${file}): start MaxConf with npm start, which writes it`);
  }
}

export async function runBrowserDemo(o: BrowserDemoOptions): Promise<BrowserDemoResult> {
  const { target } = o;
  const { agents } = readJson<{ agents: Agent[] }>(join(target.dataDir, 'genesys-simulator.json'), "the simulated agent desktop's address");
  const vendors = readJson<{ env: Record<string, string> }>(join(target.dataDir, 'vendors.json'), "the simulators' settings");
  const basic = `Basic ${Buffer.from(`${vendors.env.PEXIP_USERNAME}:${vendors.env.PEXIP_PASSWORD}`).toString('base64')}`;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  const genesys = (path: string, body?: unknown) =>
    fetch(`${target.genesysUrl}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const room = async (alias: string): Promise<RoomInspection | undefined> => {
    const res = await fetch(`${target.pexipUrl}/_sim/rooms/${encodeURIComponent(alias)}`, { headers: { authorization: basic } });
    return res.status === 200 ? ((await res.json()) as RoomInspection) : undefined;
  };
  const until = async <T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> => {
    const end = Date.now() + o.stepTimeoutMs;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value !== undefined && value !== false) return value;
      if (Date.now() > end) throw new DemoError(`timed out after ${o.stepTimeoutMs / 1000} s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const named = (r: RoomInspection | undefined, name: string): Participant | undefined => r?.participants.find((p) => p.displayName === name);
  const sip = (r: RoomInspection | undefined): Participant | undefined => r?.participants.find((p) => p.protocol.toLowerCase() === 'sip');
  const videoFrom = (p: Participant | undefined) => p?.media?.received.video.packets ?? 0;

  // the agent presses Answer in the desktop: no agent picks the call up by itself meanwhile
  const before = (await (await genesys('/sim/state')).json()) as { agents: { id: string; autoAnswer?: boolean }[] };
  for (const a of agents) await genesys(`/sim/agents/${encodeURIComponent(a.id)}/manual-answer`, {});
  const browser = o.browser ?? (await launchChromium());
  const citizenServer: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(CITIZEN_PAGE));
  await new Promise<void>((r) => citizenServer.listen(0, '127.0.0.1', r));
  const pages: Page[] = [];
  try {
    o.write(`MaxConf demo in headless Chromium against ${target.url}`);
    const videoCallId = `demo${Date.now().toString(36)}`;
    o.write(`1. IDIM asks for a room (video call ${videoCallId})`);
    const created = await fetch(`${target.url}/room/create?uuiData=${encodeUui('idtest', videoCallId)}`, { method: 'POST', headers: { authorization: `Bearer ${target.idimToken}` } });
    if (created.status !== 200) throw new DemoError(`POST /room/create answered ${created.status}: ${await created.text()}`);
    const { name, guest_pin: guestPin } = (await created.json()) as { name: string; guest_pin: string };
    o.write(`   200 in ${elapsed()}: room ${name}`);

    o.write('2. the citizen joins from a Chromium page with the fake camera and microphone (guest PIN)');
    const citizen = await browser.context.newPage();
    pages.push(citizen);
    // localhost, not 127.0.0.1: the citizen's page is cross-origin to the node, as the BCSC app is
    await citizen.goto(`http://localhost:${(citizenServer.address() as AddressInfo).port}/`);
    await citizen.evaluate(([node, alias, pin]) => (globalThis as unknown as { join(n: string, a: string, p: string): Promise<void> }).join(node!, alias!, pin!), [target.pexipUrl, name, guestPin]);
    await until('video from the citizen in the room', async () => videoFrom(named(await room(name), 'Citizen')) > 0);
    o.write(`   in the room, sending video (${elapsed()}); Pexip dials the Genesys queue`);

    o.write('3. the call alerts on an agent desktop (simulated Genesys Cloud)');
    const agent = await until('an agent desktop offering the call', async () => {
      for (const a of agents) {
        const state = (await (await fetch(`${target.genesysUrl}/desktop/state?agent=${encodeURIComponent(a.id)}`)).json()) as { panel: string };
        if (state.panel.includes(`>${name}</h2>`) && state.panel.includes('data-action="answer">')) return a;
      }
      return undefined;
    });
    const desktop = await browser.context.newPage();
    pages.push(desktop);
    await desktop.goto(agent.desktop);
    const press = (action: string) => desktop.locator(`button[data-action=${action}]:not([disabled])`).click({ timeout: o.stepTimeoutMs });
    await desktop.locator('button[data-action=answer]:not([disabled])').waitFor({ timeout: o.stepTimeoutMs });
    o.write(`   ${agent.name}'s desktop shows the call with the Agent App beside it (${elapsed()})`);

    o.write(`4. ${agent.name} presses Answer; the widget finds the room from the conversation and joins video-only`);
    const answered = Date.now();
    await press('answer');
    await until("video from the agent's leg in the room", async () => videoFrom(named(await room(name), agent.name)) > 0);
    const answerToVideoMs = Date.now() - answered;
    const widget = desktop.frameLocator('iframe[title="Interaction widget"]');
    const quality = widget.locator('[data-testid=quality]');
    const frames = async () => Number(await quality.getAttribute('data-frames-decoded'));
    await until('ICE connected and frames decoded in the widget', async () => (await quality.getAttribute('data-ice-state')) === 'connected' && (await frames()) > 10);
    const leg = named(await room(name), agent.name)!;
    o.write(`   agent video in the room ${answerToVideoMs} ms after Answer; widget: ICE connected, ${await frames()} frames of the citizen decoded`);
    o.write(`   the room saw ${videoFrom(leg)} video and ${leg.media?.received.audio.packets ?? 0} audio packets from the agent's leg (the voice stays on Genesys's SIP leg)`);

    o.write('5. Hold: the citizen video paused, the agent camera off, the SIP leg unmuted for the hold music');
    await press('hold');
    await until('the citizen video-muted on hold', async () => {
      const r = await room(name);
      return named(r, 'Citizen')?.isVideoMuted === true && sip(r)?.isMuted === false;
    });
    o.write(`   room: citizen video-muted, SIP leg unmuted (${elapsed()})`);

    o.write('6. Resume: the citizen video and the agent camera come back');
    const [packetsOnHold, framesOnHold] = [videoFrom(named(await room(name), agent.name)), await frames()];
    await press('resume');
    await until('the agent video in the room again', async () => videoFrom(named(await room(name), agent.name)) > packetsOnHold + 20);
    await until('the citizen frames decoded again in the widget', async () => (await frames()) > framesOnHold + 10);
    o.write(`   room: agent video flowing again; widget: ${(await frames()) - framesOnHold} more frames decoded (${elapsed()})`);

    o.write(`7. ${agent.name} presses End: the widget leaves, MaxConf ends the session and deletes the room`);
    await press('end');
    await until('the agent gone from the room', async () => named(await room(name), agent.name) === undefined);
    const support = { authorization: `Bearer ${target.supportToken}` };
    const session = async () => (await (await fetch(`${target.url}/sessions/${encodeURIComponent(name)}`, { headers: support })).json()) as { phase: string; outcome: string | null; timeline: { at: string; kind: string; what: string; detail?: string }[] };
    const ended = await until('the end of the session', async () => {
      const s = await session();
      return s.phase === 'ended' && s.outcome !== null ? s : undefined;
    });
    const after = await fetch(`${target.url}/room/${encodeURIComponent(name)}`, { headers: { authorization: `Bearer ${target.idimToken}` } });
    o.write(`   outcome ${ended.outcome}; GET /room/${name} now answers ${after.status} after ${elapsed()}`);

    o.write('Timeline (GET /sessions/{id}):');
    const t0 = Date.parse(ended.timeline[0]?.at ?? new Date().toISOString());
    for (const entry of ended.timeline) {
      const at = ((Date.parse(entry.at) - t0) / 1000).toFixed(3).padStart(8);
      o.write(`  +${at} s  ${entry.kind.padEnd(8)} ${entry.what}${entry.detail ? `  (${entry.detail})` : ''}`);
    }
    return { roomName: name, outcome: ended.outcome, roomGone: after.status === 404, answerToVideoMs };
  } finally {
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
    if (!o.browser) await browser.close();
    await new Promise((r) => citizenServer.close(r));
    for (const a of before.agents) if (a.autoAnswer !== false) await genesys(`/sim/agents/${encodeURIComponent(a.id)}/auto-answer`, {}).catch(() => undefined);
  }
}

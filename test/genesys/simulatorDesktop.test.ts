import { Script } from 'node:vm';
import { manualClock, startGenesysSimulator, type GenesysSimulator, type ManualClock } from '../../local/genesys-simulator';
import { DESKTOP_ACTIONS, DESKTOP_SCRIPT } from '../../local/genesys-simulator/desktop/script';
import { auth, http } from '../simulators/genesysChannel';
import { invite, recordingCaller } from './support';

const WIDGET = 'http://localhost:5173/agent/?pcConversationId={{pcConversationId}}&gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}&pcLangTag={{pcLangTag}}&pcEnvironment={{pcEnvironment}}';

const unescape = (html: string) => html.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
const button = (html: string, label: string) => new RegExp(`<button type="button" data-action="\\w+"( disabled)?>${label}</button>`).exec(html);
const enabled = (html: string, label: string) => {
  const m = button(html, label);
  if (!m) throw new Error(`no ${label} button`);
  return !m[1];
};

describe('Genesys simulator agent desktop', () => {
  let sim: GenesysSimulator;
  let clock: ManualClock;
  let agentId: string;
  const start = async (options: Parameters<typeof startGenesysSimulator>[0] = {}) => {
    clock = manualClock();
    sim = await startGenesysSimulator({ clock, agents: 2, autoAnswer: false, answerDelayMs: 0, widgetUrl: WIDGET, ...options });
    agentId = (sim.control.state().agents as { id: string }[])[0]!.id;
  };
  afterEach(() => sim.stop());
  const call = async (room: string) => {
    await sim.sipDestination.invite(invite(room, sim.sipUri), recordingCaller());
    clock.advance(0);
  };
  const page = async (query = `agent=${agentId}`) => http.get(`${sim.url}/desktop?${query}`);
  const state = async () => (await http.get(`${sim.url}/desktop/state?agent=${agentId}`)).data as { panel: string; widget: { conversationId: string; url: string } | null };

  it('shows the offered call with labelled buttons and the widget iframe with Genesys\'s placeholders filled in', async () => {
    await start();
    await call('mclocal-desk');
    const res = await page(`agent=${agentId}&lang=fr-CA`);
    expect(res.status).toBe(200);
    const html = String(res.data);
    expect(html).toContain('<h2 id="caller">mclocal-desk</h2>');
    expect(html).toContain('<dd data-field="state">Alerting</dd>');
    for (const label of ['Answer', 'Hold', 'Resume', 'Mute', 'Unmute', 'End', 'Transfer']) expect(button(html, label)).not.toBeNull();
    expect(enabled(html, 'Answer')).toBe(true);
    expect(enabled(html, 'Hold')).toBe(false);
    expect(html).toContain('<label for="transfer-target">Transfer to</label>');

    const conversationId = (sim.control.conversation('mclocal-desk') as { id: string }).id;
    const iframe = /<iframe title="Interaction widget" src="([^"]+)" allow="camera; microphone; display-capture"><\/iframe>/.exec(html);
    expect(iframe).not.toBeNull();
    const src = new URL(unescape(iframe![1]!));
    expect(Object.fromEntries(src.searchParams)).toEqual({
      pcConversationId: conversationId,
      gcHostOrigin: sim.url,
      gcTargetEnv: 'sim',
      pcLangTag: 'fr-ca',
      pcEnvironment: new URL(sim.url).host,
    });
    expect(String(res.headers['set-cookie'])).toMatch(/^gsim_agent=/);
    // the inline script is valid JavaScript
    expect(() => new Script(DESKTOP_SCRIPT)).not.toThrow();
  });

  it('its buttons\' API calls (with the desktop\'s own token) answer, hold, resume, mute, transfer and end the call', async () => {
    await start();
    await call('mclocal-btn');
    const html = String((await page()).data);
    const token = /<meta name="gsim-token" content="([^"]+)">/.exec(html)![1]!;
    const ids = () => {
      const m = /data-conversation-id="([^"]+)" data-participant-id="([^"]+)"/.exec(html)!;
      return `/api/v2/conversations/calls/${m[1]}/participants/${m[2]}`;
    };
    const press = async (action: keyof typeof DESKTOP_ACTIONS) => expect((await http.patch(`${sim.url}${ids()}`, DESKTOP_ACTIONS[action], auth(token))).status).toBe(202);

    await press('answer');
    let now = await state();
    expect(now.panel).toContain('>Connected<');
    expect(enabled(now.panel, 'Hold')).toBe(true);
    expect(enabled(now.panel, 'Answer')).toBe(false);
    await press('hold');
    now = await state();
    expect(now.panel).toContain('>On hold<');
    expect(enabled(now.panel, 'Resume')).toBe(true);
    await press('resume');
    await press('mute');
    now = await state();
    expect(now.panel).toContain('>Connected<');
    expect(enabled(now.panel, 'Unmute')).toBe(true);
    expect(enabled(now.panel, 'Mute')).toBe(false);
    await press('end');
    now = await state();
    expect(now.panel).toContain('>Disconnected<');
    expect(enabled(now.panel, 'End')).toBe(false);
    // the ended interaction stays on screen with its widget, as Genesys keeps it until wrap-up
    expect(now.widget?.conversationId).toBe((sim.control.conversation('mclocal-btn') as { id: string }).id);

    // Transfer: the select's value names the target (the other agent is busy, so the next call comes here)
    const other = (sim.control.state().agents as { id: string }[])[1]!.id;
    sim.control.setAgentAvailable(other, false);
    await call('mclocal-xfer');
    now = await state();
    const section = /data-conversation-id="([^"]+)" data-participant-id="([^"]+)"/.exec(now.panel)!;
    expect((await http.patch(`${sim.url}/api/v2/conversations/calls/${section[1]}/participants/${section[2]}`, DESKTOP_ACTIONS.answer, auth(token))).status).toBe(202);
    expect((await state()).panel).toContain(`<option value="user:${other}">`);
    expect((await http.post(`${sim.url}/api/v2/conversations/calls/${section[1]}/participants/${section[2]}/replace`, { userId: other }, auth(token))).status).toBe(202);
    expect((await state()).panel).toContain('>Disconnected<');
    const otherState = (await http.get(`${sim.url}/desktop/state?agent=${other}`)).data as { panel: string };
    expect(otherState.panel).toContain('>Alerting<');
  });

  it('shows the widget only for the video queues and only when a widget URL is set; picks the agent or refuses an unknown one', async () => {
    await start({ videoQueues: ['SOME_OTHER_QUEUE'] });
    await call('mclocal-novideo');
    expect(String((await page()).data)).not.toContain('<iframe');
    expect((await state()).widget).toBeNull();
    await sim.stop();

    await start({ widgetUrl: '' });
    await call('mclocal-nowidget');
    expect(String((await page()).data)).not.toContain('<iframe');
    const picker = await page('');
    expect(picker.status).toBe(200);
    expect(String(picker.data)).toContain(`href="/desktop?agent=${agentId}"`);
    expect((await page('agent=nobody')).status).toBe(404);
  });

  it('its login is remembered: the widget\'s OAuth login inside the desktop needs no page', async () => {
    await start();
    const res = await page();
    const session = String(res.headers['set-cookie']).split(';')[0]!;
    const authorize = await http.get(
      `${sim.url}/login/oauth/authorize?${new URLSearchParams({ client_id: sim.browserClients[0]!.clientId, redirect_uri: 'http://localhost:5173/agent/', response_type: 'token' })}`,
      { headers: { cookie: session } },
    );
    expect(authorize.status).toBe(302);
    const token = new URLSearchParams(new URL(authorize.headers.location as string).hash.slice(1)).get('access_token')!;
    expect((await http.get(`${sim.url}/api/v2/users/me`, auth(token))).data.id).toBe(agentId);
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config';
import { parseArgs, toRequest } from '../../local/genesys-simulator/cli';
import { SIMULATOR_FILE, startGenesysSimulatorFor } from '../../local/genesys-simulator/starter';
import { startGenesysSimulator, manualClock, type EventBridgeEnvelope } from '../../local/genesys-simulator';
import { invite, recordingCaller, silentLogger } from './support';

describe('Genesys simulator', () => {
  it('starts for npm start only without credentials, and points MaxConf at itself', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mc-gsim-'));
    const base = { MAXCONF_ENV: 'local', MAXCONF_DATA_DIR: dataDir, GENESYS_EVENTS_API_KEY: 'k'.repeat(20), PEXIP_EVENT_SINK_PASSWORD: 'p'.repeat(12) };
    const withOrg = parseConfig({ ...base, GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'secret' });
    await expect(startGenesysSimulatorFor(withOrg, silentLogger())).resolves.toBeUndefined();

    const started = (await startGenesysSimulatorFor(parseConfig(base), silentLogger()))!;
    try {
      expect(Object.keys(started.env).sort()).toEqual(
        ['GENESYS_ALLOWED_DIVISIONS', 'GENESYS_API_BASE_URL', 'GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET', 'GENESYS_QUEUE_NAME', 'GENESYS_SIP_URI'].sort(),
      );
      // the overrides make a valid configuration that uses the production client against the simulator
      const pointed = parseConfig({ ...base, ...started.env });
      expect(pointed.genesys.credentials).toBeDefined();
      expect(pointed.genesys.apiBaseUrl).toBe(started.simulator.url);
      const file = JSON.parse(readFileSync(join(dataDir, SIMULATOR_FILE), 'utf8')) as { url: string };
      expect(file.url).toBe(started.simulator.url);
    } finally {
      await started.stop();
    }
    expect(existsSync(join(dataDir, SIMULATOR_FILE))).toBe(false);
  });

  it('is scripted through its control API the way the CLI sends it', async () => {
    const sim = await startGenesysSimulator({ agents: 0, flow: { releaseWhenNoAgents: false }, answerDelayMs: 0 });
    const run = async (line: string) => {
      const req = toRequest(parseArgs(line.split(' ')));
      const res = await fetch(`${sim.url}${req.path}`, { method: req.method, headers: { 'content-type': 'application/json' }, ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    try {
      const agent = (await run('agents add')).body as { id: string };
      await run(`agents busy ${agent.id}`);
      await sim.sipDestination.invite(invite('mclocal-cli', sim.sipUri), recordingCaller());
      await new Promise((r) => setTimeout(r, 5));
      expect((await run('state')).body.waiting).toHaveLength(1);
      expect((await run(`answer mclocal-cli --agent ${agent.id}`)).status).toBe(200);
      expect((await run('agent-hangup mclocal-cli')).status).toBe(200);
      expect((await run('agent-hangup mclocal-cli')).status).toBe(409);
      const token = (await run('token --division d-1 --expires 60')).body;
      expect(token).toMatchObject({ divisionId: 'd-1', access_token: expect.any(String) });
      expect((await run('flow --holiday true')).body).toMatchObject({ holiday: true, open: true });
      expect((await run('faults {"latencyMs":1}')).status).toBe(200);
      expect(() => toRequest(parseArgs(['nonsense']))).toThrow(/unknown command/);
    } finally {
      await sim.stop();
    }
  });

  it('answers with Genesys error bodies, lower-case REST enums and upper-case event enums', async () => {
    const clock = manualClock();
    const envelopes: EventBridgeEnvelope[] = [];
    const sim = await startGenesysSimulator({ clock, answerDelayMs: 1000, eventSink: (e) => void envelopes.push(e) });
    try {
      const unauth = await fetch(`${sim.url}/api/v2/routing/queues`);
      expect(unauth.status).toBe(401);
      expect(await unauth.json()).toMatchObject({ status: 401, code: 'authentication.required', message: expect.any(String), contextId: expect.any(String) });
      const refused = await sim.sipDestination.invite(invite('mclocal-x', 'sip:elsewhere@nowhere'), recordingCaller());
      expect(refused).toEqual({ answered: false, status: 404, reason: 'Not Found' });

      await sim.sipDestination.invite(invite('mclocal-shape', sim.sipUri), recordingCaller());
      clock.advance(1000);
      await sim.control.eventsDelivered();
      const view = sim.control.conversation('mclocal-shape') as { participants: { purpose: string; state: string; calls: { state: string }[] }[] };
      expect(view.participants.map((p) => [p.purpose, p.state])).toEqual([
        ['customer', 'connected'],
        ['ivr', 'disconnected'],
        ['acd', 'disconnected'],
        ['agent', 'connected'],
      ]);
      const kinds = envelopes.map((e) => e.detail.topicName.split('.').slice(5).join('.'));
      expect(kinds).toEqual(['customer.start', 'flow.start', 'attributes', 'flow.end', 'acd.start', 'acd.end', 'user.start']);
      const acdEnd = envelopes.find((e) => e.detail.topicName.endsWith('acd.end'))!;
      expect(acdEnd.detail.eventBody).toMatchObject({ acdOutcome: 'ANSWERED', mediaType: 'VOICE', direction: 'INBOUND', disconnectType: 'TRANSFER', ani: 'sip:mclocal-shape@conf.sim.invalid' });
      expect(acdEnd['detail-type']).toBe('v2.detail.events.conversation.{id}.acd.end');
    } finally {
      await sim.stop();
    }
  });
});

import { jsonObject } from '../http/body';
import type { Answer } from '../http/router';
import type { FlowSettings } from '../model';
import type { GenesysSimulatorControl, SimFaults } from '../options';

/** `/sim/…`: the control API the CLI (`npm run genesys:sim`) and other processes drive the simulator with. */
export function controlApi(control: GenesysSimulatorControl, method: string, url: URL, body: string): Answer {
  const p = url.pathname.replace(/^\/sim/, '');
  const input = body ? jsonObject(body) : {};
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  const ok = (done: boolean): Answer => (done ? { status: 200, body: { ok: true } } : { status: 409, body: { ok: false } });
  let m: RegExpExecArray | null;
  if (method === 'GET' && p === '/state') return { status: 200, body: control.state() };
  if (method === 'GET' && p === '/events') return { status: 200, body: control.events() };
  if (method === 'POST' && p === '/agents') {
    return { status: 201, body: control.addAgent({ ...(str('id') ? { id: str('id') } : {}), ...(str('name') ? { name: str('name') } : {}), ...(str('divisionId') ? { divisionId: str('divisionId') } : {}) }) };
  }
  if (method === 'POST' && (m = /^\/agents\/([^/]+)\/(available|busy|logoff|auto-answer|manual-answer)$/.exec(p))) {
    const id = decodeURIComponent(m[1]!);
    const a =
      m[2] === 'logoff'
        ? control.setAgentLoggedOn(id, false)
        : m[2] === 'auto-answer' || m[2] === 'manual-answer'
          ? control.setAgentAutoAnswer(id, m[2] === 'auto-answer')
          : control.setAgentAvailable(id, m[2] === 'available');
    return a ? { status: 200, body: a } : { status: 404, body: { ok: false } };
  }
  if (method === 'POST' && p === '/flow') return { status: 200, body: control.setFlow(input as Partial<FlowSettings>) };
  if (method === 'POST' && p === '/faults') {
    control.setFaults(input as SimFaults);
    return { status: 200, body: { ok: true } };
  }
  if (method === 'POST' && p === '/rate-limit') {
    const perMinute = input.requestsPerMinute;
    if (perMinute !== undefined && perMinute !== null && (typeof perMinute !== 'number' || !Number.isInteger(perMinute) || perMinute < 1)) {
      return { status: 400, body: { ok: false, error: 'requestsPerMinute must be a positive integer or null' } };
    }
    control.setRateLimit(typeof perMinute === 'number' ? { requestsPerMinute: perMinute } : undefined);
    return { status: 200, body: { ok: true } };
  }
  if (method === 'POST' && p === '/tokens') {
    const expires = typeof input.expiresInSeconds === 'number' ? input.expiresInSeconds : undefined;
    return {
      status: 201,
      body: control.mintUserToken({ ...(str('userId') ? { userId: str('userId') } : {}), ...(str('divisionId') ? { divisionId: str('divisionId') } : {}), ...(expires !== undefined ? { expiresInSeconds: expires } : {}) }),
    };
  }
  if (method === 'GET' && (m = /^\/conversations\/([^/]+)$/.exec(p))) {
    const c = control.conversation(decodeURIComponent(m[1]!));
    return c ? { status: 200, body: c } : { status: 404, body: { ok: false } };
  }
  if (method === 'POST' && (m = /^\/conversations\/([^/]+)\/(answer|abandon|agent-hangup|customer-hangup)$/.exec(p))) {
    const id = decodeURIComponent(m[1]!);
    switch (m[2]) {
      case 'answer':
        return ok(control.answer(id, str('userId')));
      case 'abandon':
        return ok(control.abandon(id));
      case 'agent-hangup':
        return ok(control.agentHangUp(id));
      default:
        return ok(control.customerHangUp(id));
    }
  }
  return { status: 404, body: { ok: false, error: `no control route ${method} ${p}` } };
}

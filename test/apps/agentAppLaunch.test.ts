import { parseConfig } from '../../apps/agent-app/src/config';
import { participantsOfConversation, participantsOfEvent, roomNameOf } from '../../apps/agent-app/src/genesys/participants';
import { langOf, WORDS } from '../../apps/agent-app/src/i18n';
import { parentAllowed, parseLaunch, redirectUriOf, stateOf } from '../../apps/agent-app/src/launch';
import { qualityOf } from '../../apps/agent-app/src/media/quality';
import { legView } from '../../apps/agent-app/src/callControl';

const CONV = '3f1c2a9e-8b7d-4e61-9a0b-5c4d3e2f1a00';
const WIDGET = 'https://agent.example/index.html';

describe('the widget URL', () => {
  it('reads the interpolated Genesys parameters', () => {
    const parsed = parseLaunch(`${WIDGET}?pcConversationId=${CONV}&gcHostOrigin=https%3A%2F%2Fapps.cac1.pure.cloud&gcTargetEnv=prod-cac1&pcLangTag=fr-ca&pcEnvironment=cac1.pure.cloud`);
    expect(parsed).toEqual({
      context: { conversationId: CONV, hostOrigin: 'https://apps.cac1.pure.cloud', targetEnv: 'prod-cac1', langTag: 'fr-ca', environment: 'cac1.pure.cloud' },
      oauth: { kind: 'none' },
    });
  });

  it('refuses a conversation id that is not a Genesys id (it would be placed in a URL)', () => {
    expect(parseLaunch(`${WIDGET}?pcConversationId=../../users/me`).context).toBeUndefined();
    expect(parseLaunch(`${WIDGET}?pcConversationId={{pcConversationId}}`).context).toBeUndefined();
  });

  it('gets the context back from OAuth state: code grant, implicit token, and errors', () => {
    const state = encodeURIComponent(stateOf({ conversationId: CONV, langTag: 'en-us' }));
    expect(parseLaunch(`${WIDGET}?code=abc&state=${state}`)).toEqual({ context: { conversationId: CONV, langTag: 'en-us' }, oauth: { kind: 'code', code: 'abc' } });
    expect(parseLaunch(`${WIDGET}#access_token=tok&expires_in=3600&state=${state}`)).toEqual({ context: { conversationId: CONV, langTag: 'en-us' }, oauth: { kind: 'token', accessToken: 'tok', expiresInS: 3600 } });
    expect(parseLaunch(`${WIDGET}?error=access_denied&error_description=denied&state=${state}`).oauth).toEqual({ kind: 'error', error: 'access_denied', description: 'denied' });
  });

  it('redirects back to the bare page, and trusts only the configured parent', () => {
    expect(redirectUriOf(`${WIDGET}?pcConversationId=${CONV}#x`)).toBe(WIDGET);
    expect(parentAllowed({ conversationId: CONV, hostOrigin: 'https://apps.cac1.pure.cloud' }, 'https://apps.cac1.pure.cloud')).toBe(true);
    expect(parentAllowed({ conversationId: CONV, hostOrigin: 'https://evil.example' }, 'https://apps.cac1.pure.cloud')).toBe(false);
    expect(parentAllowed({ conversationId: CONV }, 'https://apps.cac1.pure.cloud')).toBe(true);
  });

  it('speaks French for any French tag, English otherwise, with the same failures in both', () => {
    expect([langOf('fr-ca'), langOf('FR'), langOf('en-us'), langOf(undefined)]).toEqual(['fr', 'fr', 'en', 'en']);
    expect(Object.keys(WORDS.fr.failures).sort()).toEqual(Object.keys(WORDS.en.failures).sort());
  });
});

describe('config.json', () => {
  const valid = {
    environment: 'test',
    maxconfApiBase: 'https://api.test.vc.maxconf.ca/',
    conferenceNodeUrl: 'https://conference.test.vc.maxconf.ca',
    genesys: { region: 'cac1.pure.cloud', oauthClientId: 'c', allowedParentOrigin: 'https://apps.cac1.pure.cloud/' },
  };
  it('defaults to PKCE and trims trailing slashes', () => {
    const r = parseConfig(200, JSON.stringify(valid));
    expect(r.ok && r.config.genesys.grant).toBe('pkce');
    expect(r.ok && r.config.maxconfApiBase).toBe('https://api.test.vc.maxconf.ca');
    expect(r.ok && r.config.genesys.allowedParentOrigin).toBe('https://apps.cac1.pure.cloud');
  });
  it('names the missing or wrong field', () => {
    expect(parseConfig(404, '')).toMatchObject({ ok: false, kind: 'config-missing' });
    expect(parseConfig(200, '{')).toMatchObject({ ok: false, kind: 'config-invalid' });
    expect(parseConfig(200, JSON.stringify({ ...valid, conferenceNodeUrl: 'ftp://x' }))).toMatchObject({ ok: false, detail: expect.stringContaining('conferenceNodeUrl') });
    const both = { ...valid, genesys: { ...valid.genesys, gateway: { host: 'localhost', protocol: 'http' } } };
    expect(parseConfig(200, JSON.stringify(both))).toMatchObject({ ok: false, detail: expect.stringContaining('genesys.region') });
  });
});

describe('reading the conversation', () => {
  const conversation = {
    id: CONV,
    participants: [
      { id: 'c', purpose: 'customer', aniName: 'room-42', calls: [{ state: 'connected' }] },
      { id: 'q', purpose: 'acd', queueId: 'queue-video' },
      { id: 'a', purpose: 'agent', userId: 'u', calls: [{ state: 'disconnected' }, { state: 'connected', held: true }] },
    ],
  };
  it('the room is the customer aniName, on a video queue', () => {
    expect(roomNameOf(conversation, [])).toEqual({ ok: true, name: 'room-42' });
    expect(roomNameOf(conversation, ['queue-video'])).toEqual({ ok: true, name: 'room-42' });
    expect(roomNameOf(conversation, ['another-queue'])).toEqual({ ok: false, kind: 'no-room-name' });
    expect(roomNameOf({ participants: [{ purpose: 'customer' }] }, [])).toEqual({ ok: false, kind: 'no-room-name' });
  });
  it('the conversation and the notification give the same agent leg', () => {
    expect(legView(participantsOfConversation(conversation), 'u')).toEqual({ phase: 'live', onHold: true, muted: false });
    const event = { id: CONV, participants: [{ id: 'a', purpose: 'agent', user: { id: 'u' }, state: 'connected', held: true }] };
    expect(legView(participantsOfEvent(event, CONV)!, 'u')).toEqual({ phase: 'live', onHold: true, muted: false });
    // a notification about the agent's other call is not this widget's
    expect(participantsOfEvent({ ...event, id: 'other' }, CONV)).toBeUndefined();
  });
});

describe('network quality from getStats', () => {
  const snap = (received: number, lost: number, frames: number, rtt: number) => [
    { type: 'inbound-rtp', kind: 'video', packetsReceived: received, packetsLost: lost, framesDecoded: frames },
    { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: rtt },
  ];
  it('grades loss, round trip and decoding over the interval', () => {
    expect(qualityOf(snap(100, 0, 50, 0.02), snap(300, 1, 110, 0.03))).toMatchObject({ level: 'good', lossPercent: 0.5, rttMs: 30, framesDecoded: 110, framesInInterval: 60 });
    expect(qualityOf(snap(100, 0, 50, 0.02), snap(200, 3, 110, 0.05))).toMatchObject({ level: 'fair' });
    expect(qualityOf(snap(100, 0, 50, 0.02), snap(200, 10, 110, 0.05))).toMatchObject({ level: 'poor' });
    expect(qualityOf(snap(100, 0, 50, 0.02), snap(200, 0, 110, 0.5))).toMatchObject({ level: 'poor', rttMs: 500 });
    // packets arrive but nothing decodes: the agent sees a frozen picture
    expect(qualityOf(snap(100, 0, 50, 0.02), snap(200, 0, 50, 0.02))).toMatchObject({ level: 'poor', framesInInterval: 0 });
    expect(qualityOf([], [])).toMatchObject({ level: 'unknown' });
  });
});

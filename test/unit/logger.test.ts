import { createLogger } from '../../src/logging/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('redacts PINs, tokens and UUI at any depth', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        pin: '918273',
        room: { guest_pin: '4821', tag: 'https://id.gov.bc.ca/x', meta: { uuiData: '6964;encoding=hex', deep: { token: 'abc' } } },
        headers: { 'x-auth-token': 'genesys-token', authorization: 'Bearer x' },
      },
      'room claimed',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['918273', '4821', '6964;encoding=hex', 'genesys-token', 'Bearer x']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('https://id.gov.bc.ca/x');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'room claimed', service: 'maxconf' });
  });

  it('redacts citizen names and device codes', () => {
    const { logger, lines } = capture();
    logger.warn({ participant: { display_name: 'Jane Citizen' }, body: { device_code: 'dc-1' } }, 'x');
    expect(JSON.stringify(lines[0])).not.toMatch(/Jane Citizen|dc-1/);
  });

  it('redacts the events API key, refresh tokens, cookies and the SIP headers that carry the UUI', () => {
    const { logger, lines } = capture();
    logger.warn(
      {
        headers: { 'x-api-key': 'evkey-1', cookie: 'sid=cookie-1' },
        oauth: { refresh_token: 'rt-1' },
        dial: { custom_sip_headers: { 'User-to-User': '04fa;encoding=hex' } },
      },
      'request failed',
    );
    expect(JSON.stringify(lines[0])).not.toMatch(/evkey-1|cookie-1|rt-1|04fa/);
  });

  it('keeps child context so each line names its session', () => {
    const { logger, lines } = capture();
    logger.child({ sessionId: 'mc-7f3a' }).info('dialing');
    expect(lines[0]).toMatchObject({ sessionId: 'mc-7f3a', msg: 'dialing' });
  });
});

import fc from 'fast-check';
import { encodeUui, parseUui, UUI_MAX_LENGTH } from '../../src/domain/uui';

describe('UUI', () => {
  it('decodes v1’s documented example into host, video call id and tag', () => {
    const result = parseUui('6964264d54497a4e4455324c4463324e54517a4d67;encoding=hex');
    expect(result).toEqual({
      ok: true,
      uui: {
        raw: '6964264d54497a4e4455324c4463324e54517a4d67;encoding=hex',
        iasHost: 'id',
        videoCallId: 'MTIzNDU2LDc2NTQzMg',
        tag: 'https://id.gov.bc.ca/idcheck/protected/video/MTIzNDU2LDc2NTQzMg',
      },
    });
  });

  it.each([
    [undefined, 'is required'],
    ['', 'is required'],
    ['6964264d54497a4e4455324c4463324e54517a4d67', 'encoding=hex'],
    ['zz;encoding=hex', 'encoding=hex'],
    ['696;encoding=hex', 'encoding=hex'],
    [`${'69'.repeat(70)};encoding=hex`, `at most ${UUI_MAX_LENGTH}`],
    [encodeUui('id', 'a&b'), '<host>&<video call id>'],
    [encodeUui('ID!', 'abc'), 'IAS host'],
    [encodeUui('id', 'a/../b?x'), 'video call id'],
  ])('refuses %p with a reason', (value, reason) => {
    const result = parseUui(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('round-trips any valid host and id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/), (host, id) => {
        const result = parseUui(encodeUui(host, id));
        expect(result.ok && result.uui).toMatchObject({ iasHost: host, videoCallId: id });
      }),
    );
  });
});

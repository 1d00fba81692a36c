/**
 * The UUI IDIM passes on `POST /room/create?uuiData=…`: `<hex>;encoding=hex`, the hex being
 * `<IAS host>&<video call id>` (e.g. `id&MTIzNDU2LDc2NTQzMg`). It names the IAS session the room
 * belongs to; its decoded parts make the room's tag. Genesys passes UUI only up to 128 characters.
 */
export const UUI_MAX_LENGTH = 128;

export interface ParsedUui {
  /** the value as received, forwarded unchanged as the SIP `User-to-User` header */
  raw: string;
  /** IAS environment host label, e.g. `id` (production) or `idtest` */
  iasHost: string;
  videoCallId: string;
  /** `https://<host>.gov.bc.ca/idcheck/protected/video/<video call id>`, as today's MaxConf writes */
  tag: string;
}

export type UuiResult = { ok: true; uui: ParsedUui } | { ok: false; reason: string };

const HEX_WITH_ENCODING = /^((?:[0-9a-fA-F]{2})+);encoding=hex$/;
const HOST_LABEL = /^[a-z][a-z0-9-]{0,31}$/;
const VIDEO_CALL_ID = /^[A-Za-z0-9_\-+/=]{1,80}$/;

export function parseUui(value: string | undefined | null): UuiResult {
  if (value === undefined || value === null || value === '') return { ok: false, reason: 'is required' };
  if (value.length > UUI_MAX_LENGTH) return { ok: false, reason: `must be at most ${UUI_MAX_LENGTH} characters` };
  const match = HEX_WITH_ENCODING.exec(value);
  if (!match) return { ok: false, reason: 'must be hex followed by ";encoding=hex"' };
  const decoded = Buffer.from(match[1]!, 'hex').toString('utf8');
  const parts = decoded.split('&');
  if (parts.length !== 2) return { ok: false, reason: 'must decode to "<host>&<video call id>"' };
  const [iasHost, videoCallId] = parts as [string, string];
  if (!HOST_LABEL.test(iasHost)) return { ok: false, reason: 'has an invalid IAS host' };
  if (!VIDEO_CALL_ID.test(videoCallId)) return { ok: false, reason: 'has an invalid video call id' };
  return {
    ok: true,
    uui: {
      raw: value,
      iasHost,
      videoCallId,
      tag: `https://${iasHost}.gov.bc.ca/idcheck/protected/video/${encodeURIComponent(videoCallId)}`,
    },
  };
}

/** Builds a UUI the way IDIM does (tests, the demo, the simulators). */
export function encodeUui(iasHost: string, videoCallId: string): string {
  return `${Buffer.from(`${iasHost}&${videoCallId}`, 'utf8').toString('hex')};encoding=hex`;
}

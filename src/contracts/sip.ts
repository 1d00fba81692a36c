/**
 * How a SIP call placed by Pexip reaches whoever answers it. Production has a real SIP trunk
 * between the Pexip conference node and Genesys Cloud; locally the Pexip simulator's dial-out
 * calls a SipDestination, which the Genesys simulator implements. Both sides speak only in the
 * terms a SIP INVITE carries, so neither simulator knows the other's internals.
 */
export interface SipInvite {
  /** SIP Call-ID, unique per call */
  callId: string;
  /** From URI: `sip:<conference_alias>@<conference node>`; Genesys shows it as the caller's `ani` */
  fromUri: string;
  /** From display name (Pexip's `local_display_name`); Genesys shows it as `aniName` */
  fromDisplayName: string;
  /** Request URI: the address dialled, e.g. `sip:sbc_vbv_test@byoc.example` */
  toUri: string;
  /** the raw `User-to-User` header value, e.g. `6964…;encoding=hex`, when one was sent */
  userToUser?: string;
}

/** The caller's side of an established call, as the far end sees it. */
export interface SipCaller {
  /** The far end sent BYE (agent hung up, flow released the call). */
  remoteHangUp(reason: string): void;
}

/** The far end's side of an established call, as the caller sees it. */
export interface SipDialogue {
  /** The caller sends BYE. Idempotent. */
  hangUp(reason: string): void;
}

export type SipInviteOutcome =
  | { answered: true; dialogue: SipDialogue }
  | { answered: false; status: number; reason: string };

export interface SipDestination {
  /** Resolves when the far end answers (200 OK) or refuses (4xx/5xx/6xx). */
  invite(invite: SipInvite, caller: SipCaller): Promise<SipInviteOutcome>;
}

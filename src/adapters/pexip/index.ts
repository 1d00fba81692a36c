import type { MaxConfConfig } from '../../config';
import type { Logger } from '../../logging/logger';
import { pexipCalls, type PexipCalls } from './calls';
import { PexipError } from './errors';
import { createPexipHttp, type PexipHttpOptions } from './http';
import { pexipParticipantList, type PexipParticipantList } from './participantList';
import { pexipRooms, type PexipRooms } from './rooms';

export * from './errors';
export * from './naming';
export type { PexipRooms, NewRoom, RoomPage } from './rooms';
export type { PexipCalls, DialOutRequest, CallSettings } from './calls';
export type { PexipParticipantList, ParticipantListing } from './participantList';
export type { PexipConference, PexipParticipantStatus } from './models';
export { createPexipHttp } from './http';
export { pexipRooms } from './rooms';
export { pexipCalls } from './calls';

export interface PexipClient {
  rooms: PexipRooms;
  calls: PexipCalls;
  /** every live participant, paged (the reconciler's read) */
  participants: PexipParticipantList;
}

export type PexipClientTuning = Omit<PexipHttpOptions, 'baseUrl' | 'auth' | 'logger'>;

/** The production client from MaxConf's config. Throws a permanent PexipError when Pexip is not configured. */
export function createPexipClient(config: MaxConfConfig, logger: Logger, tuning: PexipClientTuning = {}): PexipClient {
  const { managementUrl, auth } = config.pexip;
  if (!managementUrl || !auth) throw new PexipError('not_configured', 'PEXIP_MANAGEMENT_URL and its credentials are not set', false);
  const http = createPexipHttp({ ...tuning, baseUrl: managementUrl, auth, logger });
  return {
    rooms: pexipRooms(http, config.pexip.roomPrefix, logger),
    calls: pexipCalls(
      http,
      () => {
        const destination = config.genesys.sipUri;
        if (!destination) throw new PexipError('not_configured', 'GENESYS_SIP_URI is not set; nothing to dial', false);
        return { destination, systemLocation: config.pexip.systemLocation, uuiHeader: config.pexip.dialUuiHeader };
      },
      logger,
    ),
    participants: pexipParticipantList(http, logger),
  };
}

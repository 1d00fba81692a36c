import type { Logger } from '../../logging/logger';
import type { PexipHttp } from './http';
import { ListEnvelope, PexipParticipantStatus } from './models';

const PARTICIPANTS = '/api/admin/status/v1/participant/';

/** Every live participant the status API lists, and whether the list is whole. */
export interface ParticipantListing {
  participants: PexipParticipantStatus[];
  /** false when a page failed or a reply could not be read: an absent participant may still be there */
  complete: boolean;
  /** status API calls made */
  pages: number;
}

export interface PexipParticipantList {
  /** all live participants of the rooms whose name `inScope` accepts, read page by page */
  listAll(inScope: (roomName: string) => boolean): Promise<ParticipantListing>;
}

/**
 * The reconciler's one read of Pexip: the status API's participant list, paged (`limit`, `offset`),
 * so its calls per cycle grow with the live participants divided by the page size. Pexip's status
 * API filters participants only by exact conference name, so the whole list is read and this
 * deployment's rooms are picked here. A page that fails ends the read as incomplete rather than
 * throwing: the caller may still act on who is there, never on who is missing.
 */
export function pexipParticipantList(http: PexipHttp, logger: Logger, pageSize = 500, maxPages = 200): PexipParticipantList {
  const log = logger.child({ component: 'pexip-participants' });
  return {
    async listAll(inScope) {
      const participants: PexipParticipantStatus[] = [];
      let pages = 0;
      for (let offset = 0; pages < maxPages; offset += pageSize) {
        pages += 1;
        let envelope;
        try {
          const reply = await http({ method: 'GET', path: PARTICIPANTS, params: { limit: pageSize, offset }, idempotent: true, operation: 'list all participants' });
          envelope = reply.status === 200 ? ListEnvelope.safeParse(reply.data) : undefined;
          if (!envelope?.success) log.warn({ status: reply.status, offset }, 'participant page unreadable; the list is incomplete');
        } catch (error) {
          log.warn({ offset, err: error instanceof Error ? error.message : String(error) }, 'participant page failed; the list is incomplete');
        }
        if (!envelope?.success) return { participants, complete: false, pages };
        for (const raw of envelope.data.objects) {
          const p = PexipParticipantStatus.safeParse(raw);
          // an unreadable participant could be anyone's: the list no longer proves an absence
          if (!p.success) return { participants, complete: false, pages };
          if (inScope(p.data.conference)) participants.push(p.data);
        }
        const { total_count: total, next } = envelope.data.meta;
        if (envelope.data.objects.length < pageSize || offset + pageSize >= total || next === null) {
          return { participants, complete: true, pages };
        }
      }
      return { participants, complete: false, pages };
    },
  };
}

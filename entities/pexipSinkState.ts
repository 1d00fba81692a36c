import type { EntityContext } from 'durable-functions';
import { MAX_SEEN, type RoomIngestState } from '../src/contracts/durable';

/**
 * What the Pexip event sink has already handed to a room's session (event ids, the last
 * conference transition), keyed by room name. It lives outside the orchestration history so
 * Pexip's repeats and `participant_updated` noise never become history lines
 * (`ENTITIES.pexipSinkState`; src/http/eventSink.ts reads and records it).
 */

export function pexipSinkStateEntity(context: EntityContext<RoomIngestState>): void {
  const state = context.df.getState(() => ({ seen: [] })) ?? { seen: [] };
  switch (context.df.operationName) {
    case 'record': {
      const input = context.df.getInput<RoomIngestState>();
      if (!input || !Array.isArray(input.seen)) return;
      // concurrent deliveries may each record: keep the union, newest last, bounded
      const merged = [...new Set([...state.seen, ...input.seen.filter((s) => typeof s === 'string')])];
      const next: RoomIngestState = { seen: merged.slice(Math.max(0, merged.length - MAX_SEEN)) };
      const conference = input.conference ?? state.conference;
      if (conference === 'started' || conference === 'ended') next.conference = conference;
      context.df.setState(next);
      return;
    }
    case 'delete':
      context.df.destructOnExit();
      return;
    default:
      context.df.return(state);
  }
}

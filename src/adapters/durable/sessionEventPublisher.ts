import { SESSION_EVENT_NAME, type DurableControl, type PublishOutcome, type SessionEvent, type SessionEventPublisher } from '../../contracts';
import { InstanceNotRunningError } from '../../contracts/ports';

/**
 * Raises session events on the callSession instance named by the event's room: ONE management
 * call per event. Raising only appends the event to the instance's queue, so this returns as
 * soon as the runtime accepted it; the runtime's 404 (no such session) and 410 (finished) are
 * the outcomes, so no status is read first.
 */
export function durableSessionEventPublisher(durable: DurableControl): SessionEventPublisher {
  return {
    async publish(event: SessionEvent): Promise<PublishOutcome> {
      try {
        await durable.raiseEvent(event.roomName, SESSION_EVENT_NAME, event);
        return 'accepted';
      } catch (error) {
        if (error instanceof InstanceNotRunningError) return error.reason === 'not_found' ? 'unknown_session' : 'session_finished';
        throw error;
      }
    },
  };
}

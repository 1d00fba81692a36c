import { SESSION_EVENT_NAME, type DurableControl, type PublishOutcome, type SessionEvent, type SessionEventPublisher } from '../../contracts';
import { isFinished } from '../../contracts/durable';

/**
 * Raises session events on the callSession instance named by the event's room. Raising an event
 * only appends it to the instance's queue, so this returns as soon as the runtime accepted it.
 */
export function durableSessionEventPublisher(durable: DurableControl): SessionEventPublisher {
  return {
    async publish(event: SessionEvent): Promise<PublishOutcome> {
      const status = await durable.getStatus(event.roomName);
      if (!status) return 'unknown_session';
      if (isFinished(status)) return 'session_finished';
      await durable.raiseEvent(event.roomName, SESSION_EVENT_NAME, event);
      return 'accepted';
    },
  };
}

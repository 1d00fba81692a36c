import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Participant, PexipModel, RunningConference } from '../model';
import { clientParticipant, hostPresent } from '../model/views';

/**
 * `GET …/events?token=…`: the participant's server-sent event stream. It opens with the roster
 * (sync begin, one create per participant, sync end) and the conference state, then follows the
 * conference; it ends with `disconnect` when the participant or the conference goes.
 */
export function openEventStream(model: PexipModel, req: IncomingMessage, res: ServerResponse, conf: RunningConference, participant: Participant, open: Set<ServerResponse>, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  open.add(res);
  let id = 0;
  const send = (event: string, data: unknown) => {
    res.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const now = () => model.options.clock.now();
  send('participant_sync_begin', {});
  for (const p of conf.participants.values()) if (p.state === 'connected') send('participant_create', clientParticipant(conf, p, now()));
  send('participant_sync_end', {});
  send('conference_update', { guests_can_unmute: true, locked: false, guests_muted: false, started: hostPresent(conf) });
  const close = () => {
    remove();
    open.delete(res);
    res.end();
  };
  const remove = model.addListener(conf, (event, data) => {
    if (event === 'participant_delete' && (data as { uuid?: string }).uuid === participant.uuid) {
      send(event, data);
      send('disconnect', { reason: 'Participant disconnected' });
      close();
      return;
    }
    send(event, data);
    if (event === 'disconnect') close();
  });
  req.on('close', () => {
    remove();
    open.delete(res);
  });
}

import { filterBy, paged, type RouteResult } from '../http';
import type { PexipModel } from '../model';
import { hostPresent } from '../model/views';

/** The status API: running conferences and their participants. */
export function statusRoute(model: PexipModel, path: string, query: URLSearchParams): RouteResult {
  if (path === '/api/admin/status/v1/conference/') {
    const all = [...model.conferences.values()].map((c) => ({
      id: c.id,
      name: c.name,
      service_type: 'conference',
      is_started: hostPresent(c),
      is_locked: false,
      guests_muted: false,
      start_time: new Date(c.startTime).toISOString(),
      tag: c.tag,
      resource_uri: `/api/admin/status/v1/conference/${c.id}/`,
    }));
    return [200, paged(path, query, filterBy(all, query, ['name', 'tag']))];
  }
  if (path === '/api/admin/status/v1/participant/') {
    const all = [...model.conferences.values()].flatMap((c) =>
      [...c.participants.values()].map((p) => ({
        id: p.uuid,
        conference: c.name,
        display_name: p.displayName,
        role: p.role,
        call_direction: p.callDirection,
        protocol: p.protocol,
        source_alias: p.sourceAlias,
        destination_alias: p.destinationAlias,
        call_uuid: p.callUuid ?? '',
        connect_time: p.connectTime ? new Date(p.connectTime).toISOString() : null,
        service_tag: c.tag,
        system_location: p.systemLocation,
        media_node: p.node,
        has_media: p.hasMedia,
        is_muted: p.isMuted,
        is_on_hold: false,
        is_presenting: false,
        remote_address: '198.51.100.20',
        vendor: p.protocol === 'SIP' ? 'Genesys' : 'Pexip Infinity Connect',
        resource_uri: `/api/admin/status/v1/participant/${p.uuid}/`,
      })),
    );
    return [200, paged(path, query, filterBy(all, query, ['conference']))];
  }
  return [404, ''];
}

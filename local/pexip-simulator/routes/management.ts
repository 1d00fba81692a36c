import { filterBy, paged, parseJson, str, type RouteResult } from '../http';
import type { PexipModel, Vmr } from '../model';
import type { VmrPatch } from '../model/vmrs';

const CONFIG = '/api/admin/configuration/v1/conference/';

function vmrView(v: Vmr): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    service_type: v.service_type,
    allow_guests: v.allow_guests,
    pin: v.pin,
    guest_pin: v.guest_pin,
    tag: v.tag,
    description: v.description,
    aliases: v.aliases,
    automatic_participants: [],
    call_type: 'video',
    creation_time: v.creation_time,
    crypto_mode: '',
    guest_view: null,
    host_view: 'one_main_seven_pips',
    max_callrate_in: null,
    max_callrate_out: null,
    participant_limit: null,
    resource_uri: v.resource_uri,
  };
}

function createVmr(model: PexipModel, body: string, baseUrl: string): RouteResult {
  const input = parseJson(body);
  const name = str(input.name).trim();
  if (!name) return [400, { conference: { name: ['This field is required.'] } }];
  if (name.length > 250) return [400, { conference: { name: ['Ensure this value has at most 250 characters.'] } }];
  const aliases = (Array.isArray(input.aliases) ? input.aliases : []).map((a) => (typeof a === 'string' ? a : str((a as { alias?: unknown }).alias)));
  if (model.vmrs.findByName(name)) return [400, { conference: { name: ['Virtual meeting room with this Name already exists.'] } }];
  const taken = aliases.find((a) => model.vmrs.aliasTaken(a));
  if (taken) return [400, { conference: { aliases: [`Alias ${taken} is already in use.`] } }];
  const pin = str(input.pin);
  const guestPin = str(input.guest_pin);
  if (pin && !/^\d{4,20}$/.test(pin)) return [400, { conference: { pin: ['PIN must be 4 to 20 digits.'] } }];
  if (guestPin && !/^\d{4,20}$/.test(guestPin)) return [400, { conference: { guest_pin: ['PIN must be 4 to 20 digits.'] } }];
  if (guestPin && pin === guestPin) return [400, { conference: { guest_pin: ['Guest PIN must differ from Host PIN.'] } }];
  const vmr = model.vmrs.create({
    name,
    pin,
    guest_pin: guestPin,
    allow_guests: input.allow_guests === true,
    tag: str(input.tag),
    description: str(input.description),
    service_type: str(input.service_type, 'conference'),
    aliases,
  });
  return [201, '', { location: `${baseUrl}${vmr.resource_uri}` }];
}

/** The configuration API's VMR resource (`/api/admin/configuration/v1/conference/`). */
export function configurationRoute(model: PexipModel, method: string, path: string, query: URLSearchParams, body: string, baseUrl: string): RouteResult {
  if (path === CONFIG) {
    if (method === 'GET') {
      const all = [...model.vmrs.vmrs.values()].sort((a, b) => a.id - b.id).map(vmrView);
      return [200, paged(path, query, filterBy(all, query, ['name', 'tag', 'description']))];
    }
    if (method === 'POST') return createVmr(model, body, baseUrl);
    if (method === 'DELETE') {
      // Pexip's documented (and dangerous) behaviour: DELETE on the list wipes every VMR
      for (const v of [...model.vmrs.vmrs.values()]) model.vmrs.delete(v);
      return [204, ''];
    }
    return [405, ''];
  }
  const match = /^\/api\/admin\/configuration\/v1\/conference\/(\d+)\/$/.exec(path);
  if (!match) return [404, ''];
  const vmr = model.vmrs.vmrs.get(Number(match[1]));
  if (!vmr) return [404, ''];
  if (method === 'GET') return [200, vmrView(vmr)];
  if (method === 'DELETE') {
    model.vmrs.delete(vmr);
    return [204, ''];
  }
  if (method === 'PATCH' || method === 'PUT') {
    const input = parseJson(body);
    const patch: VmrPatch = {};
    if ('tag' in input) patch.tag = str(input.tag);
    if ('description' in input) patch.description = str(input.description);
    if ('pin' in input) patch.pin = str(input.pin);
    if ('guest_pin' in input) patch.guest_pin = str(input.guest_pin);
    if ('allow_guests' in input) patch.allow_guests = input.allow_guests === true;
    model.vmrs.update(vmr, patch);
    return [202, ''];
  }
  return [405, ''];
}

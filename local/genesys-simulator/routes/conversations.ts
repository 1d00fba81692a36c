import { jsonObject } from '../http/body';
import { badRequest, notFound } from '../http/errors';
import type { Route } from '../http/router';
import type { SimConversation, SimParticipant } from '../model';
import type { SimulatorState } from '../state';

/** Conversations: the generic and call views, participant changes, attributes and the recovery disconnect. */
export function conversationRoutes(s: SimulatorState): Route[] {
  const { model } = s;
  const conversationOr404 = (id: string): SimConversation => {
    const c = model.conversations.get(id);
    if (!c) throw notFound(`The conversation ${id} was not found.`);
    return c;
  };
  const participantOr404 = (c: SimConversation, id: string): SimParticipant => {
    const p = c.participants.find((x) => x.id === id);
    if (!p) throw notFound('Participant not found');
    return p;
  };
  return [
    {
      method: 'GET',
      pattern: /^\/api\/v2\/conversations\/calls\/([^/]+)$/,
      endpoint: 'conversations',
      handle: ({ match }) => ({ status: 200, body: model.callView(conversationOr404(match[1]!)) }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/conversations\/([^/]+)$/,
      endpoint: 'conversations',
      handle: ({ match }) => ({ status: 200, body: model.conversationView(conversationOr404(match[1]!)) }),
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/v2\/conversations\/calls\/([^/]+)\/participants\/([^/]+)$/,
      endpoint: 'conversations',
      handle: ({ match, body }) => {
        const c = conversationOr404(match[1]!);
        const p = participantOr404(c, match[2]!);
        const request = jsonObject(body);
        if (request.state !== undefined && request.state !== 'disconnected') {
          throw badRequest('Only state "disconnected" is supported by this simulator');
        }
        if (request.state === 'disconnected' && !p.endTime) {
          if (p.purpose === 'customer') model.customerHangUp(c.id, 'client');
          else if (p.purpose === 'agent') model.agentHangUp(c.id);
          else throw badRequest('Only customer and agent legs can be disconnected here');
        }
        return { status: 202 };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/v2\/conversations\/(?:calls\/)?([^/]+)\/participants\/([^/]+)\/attributes$/,
      endpoint: 'conversations',
      handle: ({ match, body }) => {
        const c = conversationOr404(match[1]!);
        const p = participantOr404(c, match[2]!);
        const attributes = jsonObject(body).attributes;
        if (!attributes || typeof attributes !== 'object' || Object.values(attributes).some((v) => typeof v !== 'string')) {
          throw badRequest('attributes must be an object of strings');
        }
        model.setAttributes(c, p, attributes as Record<string, string>);
        return { status: 202 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v2\/conversations\/([^/]+)\/disconnect$/,
      endpoint: 'conversations',
      handle: ({ match }) => {
        const c = conversationOr404(match[1]!);
        model.customerHangUp(c.id, 'client');
        return { status: 202, body: '' };
      },
    },
  ];
}

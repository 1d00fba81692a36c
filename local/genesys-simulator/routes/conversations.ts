import { z } from 'zod';
import { jsonObject } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/errors';
import type { Route } from '../http/router';
import { ActionRefused, type SimConversation, type SimParticipant } from '../model';
import type { SimulatorState } from '../state';

/** `MediaParticipantRequest`, the fields this simulator acts on (others are accepted and ignored, as unknown fields are). */
const ParticipantChange = z.object({
  state: z.enum(['connected', 'disconnected']).optional(),
  held: z.boolean().optional(),
  muted: z.boolean().optional(),
});

/** `TransferRequest` for a blind transfer: to a user or to a queue. */
const Transfer = z
  .object({ userId: z.string().min(1).max(200).optional(), queueId: z.string().min(1).max(200).optional(), address: z.string().max(500).optional() })
  .refine((t) => Boolean(t.userId) !== Boolean(t.queueId), { message: 'exactly one of userId or queueId is required (address transfers are not simulated)' });

function parsed<T>(schema: z.ZodType<T>, body: string): T {
  const result = schema.safeParse(jsonObject(body));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badRequest(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

function refused(error: unknown): never {
  if (error instanceof ActionRefused) throw new HttpError(error.status, error.status === 404 ? 'not.found' : error.status === 409 ? 'conflict' : 'bad.request', error.message);
  throw error;
}

/**
 * Conversations: the generic and call views, participant changes (the desktop's answer, hold,
 * mute and hang-up; MaxConf's disconnect), blind transfer, attributes and the recovery disconnect.
 */
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
        const change = parsed(ParticipantChange, body);
        if (p.purpose === 'agent') {
          // hanging up a leg that has already ended changes nothing (MaxConf's disconnect is repeatable)
          if (!(p.endTime && change.state === 'disconnected')) {
            try {
              model.updateAgentLeg(c, p, change);
            } catch (error) {
              refused(error);
            }
          }
        } else if (change.held !== undefined || change.muted !== undefined || change.state === 'connected') {
          throw badRequest('Only agent legs can be answered, held or muted in this simulator');
        } else if (change.state === 'disconnected' && !p.endTime) {
          if (p.purpose === 'customer') model.customerHangUp(c.id, 'client');
          else throw badRequest('Only customer and agent legs can be disconnected here');
        }
        return { status: 202 };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v2\/conversations\/calls\/([^/]+)\/participants\/([^/]+)\/replace$/,
      endpoint: 'conversations',
      handle: ({ match, body }) => {
        const c = conversationOr404(match[1]!);
        const p = participantOr404(c, match[2]!);
        const target = parsed(Transfer, body);
        try {
          model.transfer(c, p, target.userId ? { userId: target.userId } : { queueId: target.queueId! });
        } catch (error) {
          refused(error);
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

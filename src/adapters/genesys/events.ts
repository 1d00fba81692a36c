import { z } from 'zod';
import { ConversationKey } from '../../contracts/ids';

/**
 * Genesys Cloud conversation detail events as Amazon EventBridge delivers them (reference
 * genesys.md §6). Only what MaxConf reads is required; everything else passes through untouched
 * so a new Genesys field never poisons a message.
 */
export const DETAIL_TOPIC = /^v2\.detail\.events\.conversation\.([^.\s]+)\.([a-z]+(?:\.[a-z]+)?)$/;

export const DETAIL_KINDS = [
  'customer.start',
  'customer.end',
  'acd.start',
  'acd.end',
  'user.start',
  'user.end',
  'flow.start',
  'flow.end',
  'acw',
  'attributes',
  'outbound',
  'voicemail.start',
  'voicemail.end',
] as const;
export type DetailKind = (typeof DETAIL_KINDS)[number];

const id = z.string().min(1).max(200);
/** UPPERCASE on EventBridge; kept as sent and lower-cased when handed on (REST's convention). */
const enumText = z.string().min(1).max(100);

/** Epoch milliseconds a Date can hold (to 275760-09-13): a later one could not become an ISO time. */
const eventTime = z.number().int().nonnegative().max(8_640_000_000_000_000, 'must be epoch milliseconds a timestamp can hold');

const common = {
  eventTime,
  conversationId: ConversationKey,
  participantId: id.optional(),
  sessionId: id.optional(),
  mediaType: z.string().optional(),
  direction: z.string().optional(),
  ani: z.string().max(1000).optional(),
  dnis: z.string().max(1000).optional(),
  divisionId: z.string().optional(),
};

export const CustomerStartBody = z.looseObject({ ...common });
export const CustomerEndBody = z.looseObject({ ...common, disconnectType: enumText.optional() });
export const AcdStartBody = z.looseObject({ ...common, queueId: id, routingPriority: z.number().optional() });
export const AcdEndBody = z.looseObject({
  ...common,
  queueId: id,
  acdOutcome: enumText,
  answeredUserId: id.optional(),
  disconnectType: enumText.optional(),
});
export const UserStartBody = z.looseObject({ ...common, userId: id, queueId: id.optional() });
export const UserEndBody = z.looseObject({ ...common, userId: id, queueId: id.optional(), disconnectType: enumText.optional() });
export const FlowStartBody = z.looseObject({ ...common, flowId: id.optional(), flowType: enumText.optional() });
export const FlowEndBody = z.looseObject({
  ...common,
  flowId: id.optional(),
  flowType: enumText.optional(),
  exitReason: enumText.optional(),
  transferType: enumText.optional(),
  disconnectType: enumText.optional(),
});
export const AttributesBody = z.looseObject({
  eventTime: common.eventTime,
  conversationId: ConversationKey,
  participantId: id.optional(),
  attributes: z.record(z.string(), z.string()).default({}),
});
/** Topics MaxConf does not act on still need a time and a conversation to be recorded. */
export const OtherBody = z.looseObject({ eventTime: common.eventTime, conversationId: ConversationKey, sessionId: id.optional() });

export const EventBridgeEnvelope = z.looseObject({
  version: z.string(),
  id: z.string().min(1).max(200),
  'detail-type': z.string().min(1).max(300),
  source: z.string().min(1).max(300),
  account: z.string().optional(),
  time: z.string().min(1),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.looseObject({
    topicName: z.string().regex(DETAIL_TOPIC, 'a v2.detail.events.conversation.{id}.{kind} topic'),
    version: z.string().optional(),
    eventBody: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type EventBridgeEnvelope = z.infer<typeof EventBridgeEnvelope>;

export type DetailEvent =
  | { kind: 'customer.start'; body: z.infer<typeof CustomerStartBody> }
  | { kind: 'customer.end'; body: z.infer<typeof CustomerEndBody> }
  | { kind: 'acd.start'; body: z.infer<typeof AcdStartBody> }
  | { kind: 'acd.end'; body: z.infer<typeof AcdEndBody> }
  | { kind: 'user.start'; body: z.infer<typeof UserStartBody> }
  | { kind: 'user.end'; body: z.infer<typeof UserEndBody> }
  | { kind: 'flow.start'; body: z.infer<typeof FlowStartBody> }
  | { kind: 'flow.end'; body: z.infer<typeof FlowEndBody> }
  | { kind: 'attributes'; body: z.infer<typeof AttributesBody> }
  | { kind: 'other'; topicKind: string; body: z.infer<typeof OtherBody> };

export interface ParsedEnvelope {
  envelope: EventBridgeEnvelope;
  topicName: string;
  event: DetailEvent;
}

export type ParseResult = { ok: true; value: ParsedEnvelope } | { ok: false; error: string };

const BODIES = {
  'customer.start': CustomerStartBody,
  'customer.end': CustomerEndBody,
  'acd.start': AcdStartBody,
  'acd.end': AcdEndBody,
  'user.start': UserStartBody,
  'user.end': UserEndBody,
  'flow.start': FlowStartBody,
  'flow.end': FlowEndBody,
  attributes: AttributesBody,
} as const;

function describeIssue(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return `${path}: ${issue?.message ?? 'invalid'}`;
}

/** Validates one envelope; the error names the first bad field (never echoes values). */
export function parseEnvelope(input: unknown): ParseResult {
  const envelope = EventBridgeEnvelope.safeParse(input);
  if (!envelope.success) return { ok: false, error: describeIssue('', envelope.error) };
  const topicName = envelope.data.detail.topicName;
  const [, topicConversation, kind] = DETAIL_TOPIC.exec(topicName)!;
  const schema = (BODIES as Record<string, z.ZodType>)[kind!];
  const parsed = (schema ?? OtherBody).safeParse(envelope.data.detail.eventBody);
  if (!parsed.success) return { ok: false, error: describeIssue('detail.eventBody', parsed.error) };
  const body = parsed.data as { conversationId: string };
  if (body.conversationId !== topicConversation) {
    return { ok: false, error: 'detail.eventBody.conversationId: does not match the topic' };
  }
  const event = (schema ? { kind, body } : { kind: 'other', topicKind: kind, body }) as DetailEvent;
  return { ok: true, value: { envelope: envelope.data, topicName, event } };
}

/** One envelope, an array of them, or a JSON text of either (Service Bus bodies may be text). */
export function envelopesOf(input: unknown): unknown[] {
  let value = input;
  if (typeof value === 'string') value = JSON.parse(value);
  if (Buffer.isBuffer(value)) value = JSON.parse(value.toString('utf8'));
  return Array.isArray(value) ? value : [value];
}

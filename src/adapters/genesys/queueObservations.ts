import { z } from 'zod';
import type { WaitingConversation } from '../../domain/queueObservation';
import { bodyOf, type GenesysServiceClient } from './client';
import { AnalyticsApi, RoutingApi } from './sdkApis';

/** One waiting call as Genesys's queue observations list it, with what identifies its caller. */
export interface ObservedCall extends WaitingConversation {
  /** the caller name Genesys shows (Pexip's `local_display_name`: the room name) */
  participantName: string | undefined;
  ani: string | undefined;
}

/** One look at a queue: who is waiting in it and the queue-level estimated wait. */
export interface QueueObservation {
  queueId: string;
  waiting: ObservedCall[];
  /** Genesys listed only part of the waiting conversations: an absent one may still be waiting */
  truncated: boolean;
  estimatedWaitSeconds: number | undefined;
}

/** Two calls per queue, however many callers wait in it. */
export interface QueueObservations {
  observe(queueId: string, mediaType?: string): Promise<QueueObservation>;
}

// Vendor replies are parsed: a missing field is a skipped observation, never a crash.
const Observation = z.looseObject({
  observationDate: z.string(),
  conversationId: z.string().min(1).optional(),
  routingPriority: z.number().optional(),
  participantName: z.string().optional(),
  ani: z.string().optional(),
});
const ObservationReply = z.looseObject({
  results: z
    .array(
      z.looseObject({
        group: z.record(z.string(), z.string()).optional(),
        data: z
          .array(z.looseObject({ metric: z.string().optional(), truncated: z.boolean().optional(), observations: z.array(z.unknown()).optional() }))
          .optional(),
      }),
    )
    .optional(),
});
const WaitReply = z.looseObject({ results: z.array(z.looseObject({ estimatedWaitTimeSeconds: z.number().optional() })).optional() });

export function createQueueObservations(client: GenesysServiceClient): QueueObservations {
  const analytics = new AnalyticsApi(client.sdk);
  const routing = new RoutingApi(client.sdk);

  async function waitingIn(queueId: string, mediaType: string): Promise<{ waiting: ObservedCall[]; truncated: boolean }> {
    const body = {
      filter: {
        type: 'and',
        predicates: [
          { type: 'dimension', dimension: 'queueId', operator: 'matches', value: queueId },
          { type: 'dimension', dimension: 'mediaType', operator: 'matches', value: mediaType },
        ],
      },
      metrics: ['oWaiting'],
      detailMetrics: ['oWaiting'],
    };
    const reply = ObservationReply.safeParse(
      bodyOf(await client.call('postAnalyticsQueuesObservationsQuery', () => analytics.postAnalyticsQueuesObservationsQuery(body))),
    );
    const waiting: ObservedCall[] = [];
    let truncated = false;
    for (const result of reply.success ? (reply.data.results ?? []) : []) {
      for (const data of result.data ?? []) {
        if (data.metric !== 'oWaiting') continue;
        truncated ||= data.truncated === true;
        for (const raw of data.observations ?? []) {
          const o = Observation.safeParse(raw);
          if (!o.success || !o.data.conversationId) continue;
          waiting.push({
            conversationId: o.data.conversationId,
            waitingSince: o.data.observationDate,
            routingPriority: o.data.routingPriority ?? 0,
            participantName: o.data.participantName,
            ani: o.data.ani,
          });
        }
      }
    }
    return { waiting, truncated };
  }

  /** The queue's own estimate (no conversation id): the same figure serves every caller waiting in it. */
  async function queueWait(queueId: string): Promise<number | undefined> {
    const reply = WaitReply.safeParse(
      bodyOf(await client.call('getRoutingQueueEstimatedwaittime', () => routing.getRoutingQueueEstimatedwaittime(queueId, {}))),
    );
    const seconds = reply.success ? reply.data.results?.[0]?.estimatedWaitTimeSeconds : undefined;
    return typeof seconds === 'number' && seconds >= 0 ? seconds : undefined;
  }

  return {
    async observe(queueId, mediaType = 'voice') {
      const [listed, estimatedWaitSeconds] = await Promise.all([waitingIn(queueId, mediaType), queueWait(queueId)]);
      return { queueId, ...listed, estimatedWaitSeconds };
    },
  };
}

import type { QueueClient } from '@azure/storage-queue';
import { z } from 'zod';
import type { ClaimedRoom, WarmRoom, WarmRoomQueue } from '../../contracts/sessionIndex';
import { queueClient, queueName, statusOf, type StorageAccount, type StorageNames } from './tables';

/**
 * The warm rooms as an Azure Queue Storage queue (Azurite locally): the HTTP handler claims a
 * room itself, one receive and one delete, with no orchestration to wait on.
 *
 * Why a claim is at most once: a receive hides the message from every other receiver for the
 * visibility timeout and hands out a fresh pop receipt; the delete succeeds only with the latest
 * receipt. The claimer uses the room only after its delete succeeded, so a claimer that stalls
 * past the timeout (and whose message another claimer received) fails its delete and moves on.
 * A claimer that dies between receive and delete used nothing: the message shows again after the
 * timeout and the room goes to someone else. One that dies after the delete leaves a room on
 * Pexip that no queue message names; the pool's reconciliation, which lists Pexip's rooms, owns
 * that case.
 */

const WarmRoomMessage = z.object({ name: z.string().min(1), id: z.number().int(), createdAt: z.string() });

export interface WarmRoomQueueOptions extends StorageNames {
  account: StorageAccount;
  /** how long a received, not yet deleted room stays hidden; default 30 s */
  visibilityTimeoutSeconds?: number;
}

/** A claimer whose receipts keep going stale (others won the race each time) gives up after this many. */
const MAX_CLAIM_RACES = 8;

export async function createWarmRoomQueue(options: WarmRoomQueueOptions): Promise<QueueWarmRoomQueue> {
  const queue = new QueueWarmRoomQueue(options);
  await queue.ensure();
  return queue;
}

export class QueueWarmRoomQueue implements WarmRoomQueue {
  private readonly client: QueueClient;
  private readonly visibilityTimeout: number;

  constructor(options: WarmRoomQueueOptions) {
    this.client = queueClient(options.account, queueName(options, 'warm-rooms'));
    this.visibilityTimeout = options.visibilityTimeoutSeconds ?? 30;
  }

  async ensure(): Promise<void> {
    await this.client.createIfNotExists();
  }

  async offer(room: WarmRoom): Promise<void> {
    const message = WarmRoomMessage.parse(room);
    // -1: never expires (the service's default is 7 days, after which a warm room would vanish from the pool but not from Pexip)
    await this.client.sendMessage(JSON.stringify(message), { messageTimeToLive: -1 });
  }

  async claim<T = never>(alongside?: (room: WarmRoom) => Promise<T>): Promise<(ClaimedRoom & { alongside?: T }) | undefined> {
    for (let race = 0; race < MAX_CLAIM_RACES; race++) {
      const received = await this.client.receiveMessages({ numberOfMessages: 1, visibilityTimeout: this.visibilityTimeout });
      const message = received.receivedMessageItems[0];
      if (!message) return undefined;
      const parsed = WarmRoomMessage.safeParse(safeJson(message.messageText));
      // the caller's read runs while the delete makes the take final (one round trip fewer); a
      // read that fails is reported with the room, as if made after it
      const read = parsed.success && alongside ? settle(alongside(parsed.data)) : undefined;
      try {
        await this.client.deleteMessage(message.messageId, message.popReceipt);
      } catch (error) {
        const status = statusOf(error);
        // 404: gone (another claimer received it after our timeout and deleted it); 400: our receipt is stale
        if (status === 404 || status === 400) continue;
        throw error;
      }
      // a message that is not a room (written by hand, or by another build) is dropped, not handed out
      if (!parsed.success) continue;
      const claimed = { room: parsed.data, receipt: message.messageId };
      if (!read) return claimed;
      const outcome = await read;
      if ('error' in outcome) throw outcome.error;
      return { ...claimed, alongside: outcome.value };
    }
    return undefined;
  }

  async size(): Promise<number> {
    return (await this.client.getProperties()).approximateMessagesCount ?? 0;
  }

  async clear(): Promise<void> {
    await this.client.clearMessages();
  }
}

/** A promise that never rejects, so one left unawaited (a lost race) raises no unhandled rejection. */
function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { TokenRecord } from '../auth/tokens';

/** One notification channel: its topics, its (at most one) WebSocket, when it was last used. */
export interface Channel {
  id: string;
  /** user and app (OAuth client): Genesys's 20-channel limit counts per pair */
  owner: string;
  userId: string | undefined;
  createdAt: number;
  lastUsed: number;
  expiresAt: number;
  topics: Set<string>;
  socket: WebSocket | undefined;
  heartbeat: { cancel(): void } | undefined;
}

export const MAX_CHANNELS_PER_USER_AND_APP = 20;
export const MAX_TOPICS_PER_CHANNEL = 1000;
export const CHANNEL_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function ownerOf(record: TokenRecord): string {
  return `${record.userId ?? 'client'}|${record.clientId ?? 'simulator'}`;
}

/** Genesys's channel ids look like `streaming-0-<random>`. */
export function newChannelId(): string {
  return `streaming-0-${randomBytes(12).toString('hex')}`;
}

/**
 * Which channel a 21st one replaces: Genesys removes the one used longest ago, channels without
 * an active connection first.
 */
export function evictionVictim(channels: Channel[]): Channel | undefined {
  const byAge = (a: Channel, b: Channel) => a.lastUsed - b.lastUsed;
  return channels.filter((c) => !c.socket).sort(byAge)[0] ?? [...channels].sort(byAge)[0];
}

/** Topics this simulator publishes, for the channel's own user: its calls and its conversations. */
export function topicAllowed(topic: string, userId: string | undefined): boolean {
  const m = /^v2\.users\.([^.]+)\.conversations(\.calls)?$/.exec(topic);
  return Boolean(m && userId && m[1] === userId);
}

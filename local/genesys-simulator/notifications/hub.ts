import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../../src/logging/logger';
import type { TokenRecord } from '../auth/tokens';
import type { SimClock } from '../clock';
import {
  CHANNEL_LIFETIME_MS,
  evictionVictim,
  MAX_CHANNELS_PER_USER_AND_APP,
  MAX_TOPICS_PER_CHANNEL,
  newChannelId,
  ownerOf,
  topicAllowed,
  type Channel,
} from './channels';

export interface HubOptions {
  clock: SimClock;
  /** Genesys sends `channel.metadata` "WebSocket Heartbeat" every 30 s */
  heartbeatMs: number;
  log: Logger | undefined;
}

/** A notification as the socket carries it. */
export interface Notification {
  topicName: string;
  version: string;
  eventBody: Record<string, unknown>;
  metadata: { CorrelationId: string };
}

export class TopicRejected extends Error {}

/**
 * Genesys's notification service: channels per user and app (at most 20, the oldest evicted),
 * topic subscriptions, one WebSocket per channel at its `connectUri`, heartbeats, pings, and
 * publication of conversation events to the channels subscribed to a user's topics.
 */
export class NotificationHub {
  private readonly channels = new Map<string, Channel>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private wsBase = 'ws://127.0.0.1';

  constructor(private readonly o: HubOptions) {}

  /** Where sockets connect (`ws://host:port`), known once the server listens. */
  setBaseUrl(httpUrl: string): void {
    this.wsBase = httpUrl.replace(/^http/, 'ws');
  }

  create(record: TokenRecord): Channel {
    const owner = ownerOf(record);
    const mine = [...this.channels.values()].filter((c) => c.owner === owner);
    if (mine.length >= MAX_CHANNELS_PER_USER_AND_APP) this.evict(evictionVictim(mine)!);
    const now = this.o.clock.now();
    const channel: Channel = { id: newChannelId(), owner, userId: record.userId, createdAt: now, lastUsed: now, expiresAt: now + CHANNEL_LIFETIME_MS, topics: new Set(), socket: undefined, heartbeat: undefined };
    this.channels.set(channel.id, channel);
    return channel;
  }

  describe(channel: Channel): { connectUri: string; id: string; expires: string } {
    return { connectUri: `${this.wsBase}/channels/${channel.id}`, id: channel.id, expires: new Date(channel.expiresAt).toISOString() };
  }

  /** The caller's channel (same user and app), if it still exists. */
  find(id: string, record: TokenRecord): Channel | undefined {
    const channel = this.live(id);
    return channel && channel.owner === ownerOf(record) ? channel : undefined;
  }

  list(record: TokenRecord): Channel[] {
    const owner = ownerOf(record);
    return [...this.channels.values()].filter((c) => c.owner === owner && this.live(c.id));
  }

  /** Replaces (`PUT`) or adds to (`POST`) the channel's topics; resubscribing also renews its 24 hours. */
  subscribe(channel: Channel, topics: string[], mode: 'replace' | 'add'): string[] {
    const rejected = topics.filter((t) => !topicAllowed(t, channel.userId));
    if (rejected.length > 0) throw new TopicRejected(`Topic ${rejected[0]} is not available to this user`);
    const next = mode === 'replace' ? new Set(topics) : new Set([...channel.topics, ...topics]);
    if (next.size > MAX_TOPICS_PER_CHANNEL) throw new TopicRejected(`A channel takes at most ${MAX_TOPICS_PER_CHANNEL} topics`);
    channel.topics = next;
    const now = this.o.clock.now();
    channel.lastUsed = now;
    channel.expiresAt = now + CHANNEL_LIFETIME_MS;
    return [...next];
  }

  unsubscribeAll(channel: Channel): void {
    channel.topics.clear();
    channel.lastUsed = this.o.clock.now();
  }

  /** Sends a notification to every connected channel subscribed to `topicName`; the body is built only if someone listens. */
  publish(topicName: string, eventBody: () => Record<string, unknown>): number {
    let body: Record<string, unknown> | undefined;
    let sent = 0;
    for (const channel of this.channels.values()) {
      if (!channel.socket || !channel.topics.has(topicName)) continue;
      body ??= eventBody();
      this.send(channel, { topicName, version: '2', eventBody: body, metadata: { CorrelationId: randomUUID() } });
      sent++;
    }
    return sent;
  }

  /** `GET /channels/{id}` upgrades: an unknown, evicted or expired channel is a 404; a second socket replaces the first. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const id = /^\/channels\/([^/?]+)/.exec(req.url ?? '')?.[1];
    const channel = id ? this.live(id) : undefined;
    if (!channel) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(channel, ws));
  }

  stats(): { channels: number; connected: number } {
    const all = [...this.channels.values()];
    return { channels: all.length, connected: all.filter((c) => c.socket).length };
  }

  stop(): void {
    for (const channel of this.channels.values()) this.detach(channel, 1001, 'simulator stopping');
    this.channels.clear();
    this.wss.close();
  }

  private attach(channel: Channel, ws: WebSocket): void {
    this.detach(channel, 1000, 'replaced by a new connection');
    channel.socket = ws;
    channel.lastUsed = this.o.clock.now();
    this.scheduleHeartbeat(channel, ws);
    ws.on('message', (data) => this.onMessage(channel, ws, String(data)));
    ws.on('close', () => {
      if (channel.socket !== ws) return;
      channel.socket = undefined;
      channel.heartbeat?.cancel();
      channel.heartbeat = undefined;
    });
    ws.on('error', () => ws.terminate());
  }

  private scheduleHeartbeat(channel: Channel, ws: WebSocket): void {
    channel.heartbeat = this.o.clock.setTimer(this.o.heartbeatMs, () => {
      if (channel.socket !== ws) return;
      this.send(channel, { topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
      this.scheduleHeartbeat(channel, ws);
    });
  }

  /** The client side of the protocol: `{"message":"ping"}` → pong; `{"message":"subscribe","topics":[…]}`. */
  private onMessage(channel: Channel, ws: WebSocket, text: string): void {
    let message: { message?: unknown; topics?: unknown; correlationId?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.message === 'ping') {
      this.send(channel, { topicName: 'channel.metadata', eventBody: { message: 'pong' } });
    } else if (message.message === 'subscribe' && Array.isArray(message.topics)) {
      const topics = message.topics.filter((t): t is string => typeof t === 'string');
      let reply: Record<string, unknown>;
      try {
        this.subscribe(channel, topics, 'add');
        reply = { result: '200', status: 'subscribed' };
      } catch (error) {
        reply = { result: '400', status: 'failure', message: error instanceof Error ? error.message : 'rejected' };
      }
      if (typeof message.correlationId === 'string') reply.correlationId = message.correlationId;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
    }
  }

  private send(channel: Channel, message: Record<string, unknown>): void {
    const ws = channel.socket;
    if (ws && ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  private live(id: string): Channel | undefined {
    const channel = this.channels.get(id);
    if (channel && channel.expiresAt <= this.o.clock.now()) {
      this.evict(channel);
      return undefined;
    }
    return channel;
  }

  /**
   * A channel removed (the 21st of its user and app, or expired): its socket is told with
   * `v2.system.socket_closing`, the topic Genesys uses before it closes a socket, and closed; a
   * reconnect to it is refused, so the client creates a new channel.
   */
  private evict(channel: Channel): void {
    this.send(channel, { topicName: 'v2.system.socket_closing', eventBody: { message: 'Channel removed: the user and app have more than 20 channels, or it expired' } });
    this.detach(channel, 1000, 'channel removed');
    this.channels.delete(channel.id);
    this.o.log?.info({ channelId: channel.id }, 'notification channel removed');
  }

  private detach(channel: Channel, code: number, reason: string): void {
    const ws = channel.socket;
    channel.socket = undefined;
    channel.heartbeat?.cancel();
    channel.heartbeat = undefined;
    if (ws && ws.readyState === ws.OPEN) ws.close(code, reason);
  }
}

/**
 * One Genesys notification channel per agent, shared by every widget instance of that agent.
 *
 * Genesys allows 20 channels per user and app and evicts the oldest when a 21st is made; an agent
 * can have several interactions (so several widgets) open, and each reload would otherwise make a
 * new channel. So the widgets of one agent elect a leader with a Web Lock: the leader alone holds
 * the channel and its WebSocket and relays the call events to the others over a BroadcastChannel.
 * When the leader goes away (its interaction closes) the lock passes to the next widget, which
 * reuses the stored channel (its id is kept in sessionStorage, never a token) if Genesys still has
 * it, or makes a new one. A socket that closes, misses heartbeats, or is told it is closing is
 * reconnected; a channel Genesys evicted is replaced; after any gap every widget re-reads its
 * conversation, because events sent meanwhile are lost.
 *
 * Written against small interfaces (no DOM types) so the election and the recovery run in jest.
 */

export interface ChannelInfo {
  id: string;
  connectUri: string;
  /** ISO time Genesys will close the channel (24 h) */
  expires?: string;
}

export interface ChannelApi {
  createChannel(): Promise<ChannelInfo>;
  /** true if Genesys still has the channel (HEAD /api/v2/notifications/channels/{id}) */
  channelExists(id: string): Promise<boolean>;
  subscribe(channelId: string, topics: string[]): Promise<void>;
}

export interface SocketLike {
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  close(): void;
}

export interface BroadcastLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export interface StoreLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SharedChannelDeps {
  userId: string;
  api: ChannelApi;
  openSocket(uri: string): SocketLike;
  openBroadcast(name: string): BroadcastLike;
  /**
   * Web Locks: runs `whileLeader` once this instance holds the exclusive lock `name`; the lock is
   * held until the promise settles (or the page goes away, which frees it for the next widget).
   */
  requestLock(name: string, whileLeader: () => Promise<void>): Promise<void>;
  store: StoreLike;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** a message older than this without any frame (Genesys sends a heartbeat every 30 s) means a dead socket */
  silenceMs?: number;
}

export type ChannelStatus = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface SharedChannelHandlers {
  /** a notification on the agent's calls topic: `{topicName, eventBody}` as Genesys sends it */
  onEvent(message: { topicName: string; eventBody: unknown }): void;
  onStatus(status: ChannelStatus): void;
  /** events may have been missed: read the conversation again */
  onResync(): void;
}

type Relay = { kind: 'event'; message: { topicName: string; eventBody: unknown } } | { kind: 'status'; status: ChannelStatus } | { kind: 'resync' };

const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const FAILED_AFTER = 6;

export function callsTopic(userId: string): string {
  return `v2.users.${userId}.conversations.calls`;
}

/** Starts following the agent's calls topic; the returned function stops (and hands over leadership). */
export function joinSharedChannel(deps: SharedChannelDeps, handlers: SharedChannelHandlers): () => void {
  const topic = callsTopic(deps.userId);
  const storeKey = `maxconf-agent-channel:${deps.userId}`;
  const broadcast = deps.openBroadcast(`maxconf-agent-calls:${deps.userId}`);
  let stopped = false;
  let resign: (() => void) | undefined;

  const relay = (message: Relay) => {
    if (message.kind === 'event') handlers.onEvent(message.message);
    else if (message.kind === 'status') handlers.onStatus(message.status);
    else handlers.onResync();
  };
  broadcast.onmessage = (event) => {
    if (!stopped) relay(event.data as Relay);
  };
  const publish = (message: Relay) => {
    if (stopped) return;
    relay(message);
    broadcast.postMessage(message);
  };

  async function channelToUse(): Promise<ChannelInfo> {
    const raw = deps.store.getItem(storeKey);
    if (raw) {
      try {
        const stored = JSON.parse(raw) as ChannelInfo;
        const fresh = !stored.expires || Date.parse(stored.expires) - deps.now() > 60_000;
        if (fresh && (await deps.api.channelExists(stored.id))) return stored;
      } catch {
        // a stored value we cannot read is replaced below
      }
      deps.store.removeItem(storeKey);
    }
    const created = await deps.api.createChannel();
    deps.store.setItem(storeKey, JSON.stringify({ id: created.id, connectUri: created.connectUri, expires: created.expires }));
    return created;
  }

  /** The leader's loop: hold a subscribed channel with an open socket until stopped. */
  function lead(): Promise<void> {
    return new Promise<void>((release) => {
      let socket: SocketLike | undefined;
      let silenceTimer: unknown;
      let retryTimer: unknown;
      let attempts = 0;
      // Events sent before this socket was subscribed are lost: the widget read its conversation
      // before the channel was up (an agent may answer in that moment), or a widget that went
      // away led until now. So the first connection resyncs too, like every reconnection.
      let hadGap = true;

      const finish = () => {
        deps.clearTimer(silenceTimer);
        deps.clearTimer(retryTimer);
        if (socket) {
          socket.onclose = null;
          socket.close();
        }
        release();
      };
      resign = finish;

      const armSilence = () => {
        deps.clearTimer(silenceTimer);
        silenceTimer = deps.setTimer(() => reconnect(), deps.silenceMs ?? 75_000);
      };

      const reconnect = () => {
        if (stopped) return;
        deps.clearTimer(silenceTimer);
        if (socket) {
          socket.onclose = null;
          socket.onmessage = null;
          socket.close();
          socket = undefined;
        }
        hadGap = true;
        attempts += 1;
        publish({ kind: 'status', status: attempts >= FAILED_AFTER ? 'failed' : 'reconnecting' });
        retryTimer = deps.setTimer(() => void connect(), BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]!);
      };

      const connect = async () => {
        if (stopped) return;
        let channel: ChannelInfo;
        try {
          channel = await channelToUse();
          await deps.api.subscribe(channel.id, [topic]);
        } catch {
          // a subscription to an evicted channel fails: forget it so the next try makes a new one
          deps.store.removeItem(storeKey);
          reconnect();
          return;
        }
        if (stopped) return;
        const ws = deps.openSocket(channel.connectUri);
        socket = ws;
        ws.onopen = () => {
          attempts = 0;
          armSilence();
          publish({ kind: 'status', status: 'connected' });
          if (hadGap) publish({ kind: 'resync' });
          hadGap = false;
        };
        ws.onmessage = (event) => {
          armSilence();
          let message: { topicName?: unknown; eventBody?: unknown };
          try {
            message = JSON.parse(String(event.data)) as typeof message;
          } catch {
            return;
          }
          if (message.topicName === topic) publish({ kind: 'event', message: { topicName: topic, eventBody: message.eventBody } });
          // Genesys warns about a minute before it closes a socket (maintenance): move now
          else if (message.topicName === 'v2.system.socket_closing') reconnect();
        };
        ws.onerror = () => undefined;
        ws.onclose = () => reconnect();
      };

      publish({ kind: 'status', status: 'connecting' });
      void connect();
    });
  }

  // a widget stopped while still waiting for the lock gives it back as soon as it gets it
  void deps.requestLock(`maxconf-agent-channel:${deps.userId}`, () => (stopped ? Promise.resolve() : lead())).catch(() => undefined);

  return () => {
    stopped = true;
    resign?.();
    broadcast.onmessage = null;
    broadcast.close();
  };
}

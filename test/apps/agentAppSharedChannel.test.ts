import {
  callsTopic,
  joinSharedChannel,
  type BroadcastLike,
  type ChannelInfo,
  type SharedChannelDeps,
  type SharedChannelHandlers,
  type SocketLike,
} from '../../apps/agent-app/src/genesys/sharedChannel';

/** One browser profile: a Web Lock queue, a BroadcastChannel bus, sessionStorage, sockets, timers, Genesys. */
function browser() {
  const channels = new Map<string, ChannelInfo>();
  const created: ChannelInfo[] = [];
  const subscriptions: Array<{ channelId: string; topics: string[] }> = [];
  const sockets: Array<FakeSocket> = [];
  const store = new Map<string, string>();
  let now = Date.parse('2026-12-01T10:00:00Z');
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextTimer = 1;

  class FakeSocket implements SocketLike {
    onopen: (() => void) | null = null;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onclose: (() => void) | null = null;
    onerror: (() => void) | null = null;
    closed = false;
    constructor(readonly uri: string) {}
    close() {
      this.closed = true;
    }
    send(message: object) {
      this.onmessage?.({ data: JSON.stringify(message) });
    }
  }

  const locks = new Map<string, { queue: Array<() => Promise<void>>; held: boolean }>();
  const grantNext = (name: string) => {
    const lock = locks.get(name)!;
    if (lock.held) return;
    const next = lock.queue.shift();
    if (!next) return;
    lock.held = true;
    void next().finally(() => {
      lock.held = false;
      grantNext(name);
    });
  };

  const buses = new Map<string, Set<BroadcastLike>>();

  const deps = (userId: string): SharedChannelDeps => ({
    userId,
    api: {
      createChannel: async () => {
        const channel = { id: `ch-${created.length + 1}`, connectUri: `wss://streaming.example/channels/ch-${created.length + 1}`, expires: new Date(now + 86_400_000).toISOString() };
        created.push(channel);
        channels.set(channel.id, channel);
        return channel;
      },
      channelExists: async (id) => channels.has(id),
      subscribe: async (channelId, topics) => {
        if (!channels.has(channelId)) throw new Error('404 channel not found');
        subscriptions.push({ channelId, topics });
      },
    },
    openSocket: (uri) => {
      const socket = new FakeSocket(uri);
      sockets.push(socket);
      return socket;
    },
    openBroadcast: (name) => {
      if (!buses.has(name)) buses.set(name, new Set());
      const bus = buses.get(name)!;
      const me: BroadcastLike = {
        onmessage: null,
        postMessage: (message) => {
          for (const other of bus) if (other !== me) queueMicrotask(() => other.onmessage?.({ data: structuredClone(message) }));
        },
        close: () => bus.delete(me),
      };
      bus.add(me);
      return me;
    },
    requestLock: (name, whileLeader) =>
      new Promise<void>((resolve) => {
        if (!locks.has(name)) locks.set(name, { queue: [], held: false });
        locks.get(name)!.queue.push(() => whileLeader().finally(resolve));
        grantNext(name);
      }),
    store: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    now: () => now,
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    silenceMs: 75_000,
  });

  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const due = timers[0];
      if (!due || due.at > until) break;
      timers.shift();
      now = due.at;
      due.fn();
      await settle();
    }
    now = until;
    await settle();
  };
  const openLatest = async () => {
    const socket = sockets[sockets.length - 1]!;
    socket.onopen?.();
    await settle();
    return socket;
  };
  return { deps, created, channels, subscriptions, sockets, store, settle, advance, openLatest };
}

function recorder(): SharedChannelHandlers & { events: unknown[]; statuses: string[]; resyncs: number } {
  const r = {
    events: [] as unknown[],
    statuses: [] as string[],
    resyncs: 0,
    onEvent: (m: { eventBody: unknown }) => void r.events.push(m.eventBody),
    onStatus: (s: string) => void r.statuses.push(s),
    onResync: () => void (r.resyncs += 1),
  };
  return r;
}

const USER = 'agent-7';
const topic = callsTopic(USER);

describe('one notification channel shared by the widgets of one agent', () => {
  it('two widgets make one channel and both receive the call events', async () => {
    const b = browser();
    const first = recorder();
    const second = recorder();
    joinSharedChannel(b.deps(USER), first);
    joinSharedChannel(b.deps(USER), second);
    await b.settle();
    const socket = await b.openLatest();
    expect(b.created).toHaveLength(1);
    expect(b.subscriptions).toEqual([{ channelId: 'ch-1', topics: [topic] }]);
    expect(b.sockets).toHaveLength(1);

    socket.send({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    socket.send({ topicName: topic, eventBody: { id: 'conv-1' }, metadata: { CorrelationId: 'x' } });
    await b.settle();
    expect(first.events).toEqual([{ id: 'conv-1' }]);
    expect(second.events).toEqual([{ id: 'conv-1' }]);
    expect(second.statuses).toContain('connected');
    // the conversations were read before the channel was up: both widgets read them again once it is
    expect([first.resyncs, second.resyncs]).toEqual([1, 1]);
  });

  it('when the leading widget closes, the next one takes over the same channel and re-reads its call', async () => {
    const b = browser();
    const first = recorder();
    const second = recorder();
    const stopFirst = joinSharedChannel(b.deps(USER), first);
    joinSharedChannel(b.deps(USER), second);
    await b.settle();
    const firstSocket = await b.openLatest();
    stopFirst();
    await b.settle();
    expect(firstSocket.closed).toBe(true);
    const secondSocket = await b.openLatest();
    // once when the first leader connected, once when the second took over
    expect(second.resyncs).toBe(2);
    expect(b.created).toHaveLength(1);
    expect(secondSocket.uri).toBe(firstSocket.uri);
    secondSocket.send({ topicName: topic, eventBody: { id: 'conv-2' } });
    await b.settle();
    expect(second.events).toEqual([{ id: 'conv-2' }]);
    expect(first.events).toEqual([]);
  });

  it('a channel Genesys evicted (the 21st elsewhere) is replaced, re-subscribed, and the widgets resync', async () => {
    const b = browser();
    const widget = recorder();
    joinSharedChannel(b.deps(USER), widget);
    await b.settle();
    const socket = await b.openLatest();
    b.channels.delete('ch-1');
    socket.onclose?.();
    await b.settle();
    expect(widget.statuses).toContain('reconnecting');
    await b.advance(1000);
    await b.openLatest();
    expect(b.created.map((c) => c.id)).toEqual(['ch-1', 'ch-2']);
    expect(b.subscriptions.at(-1)).toEqual({ channelId: 'ch-2', topics: [topic] });
    expect(widget.resyncs).toBe(2);
    expect(widget.statuses.at(-1)).toBe('connected');
  });

  it('a silent socket (no heartbeat for 75 s) and a closing warning are both reconnected', async () => {
    const b = browser();
    const widget = recorder();
    joinSharedChannel(b.deps(USER), widget);
    await b.settle();
    const socket = await b.openLatest();
    await b.advance(74_000);
    expect(socket.closed).toBe(false);
    await b.advance(2_000); // silence passed, then the 1 s backoff
    await b.advance(1_000);
    const second = await b.openLatest();
    expect(socket.closed).toBe(true);
    expect(second).not.toBe(socket);
    expect(b.created).toHaveLength(1); // same channel, still known to Genesys

    second.send({ topicName: 'v2.system.socket_closing', eventBody: { message: 'Socket closing' } });
    await b.advance(1_000);
    await b.openLatest();
    expect(second.closed).toBe(true);
    expect(b.sockets).toHaveLength(3);
    expect(widget.resyncs).toBe(3);
  });

  it('widgets of two different agents (one browser, two sign-ins) each get their own channel and events', async () => {
    const b = browser();
    const a = recorder();
    const c = recorder();
    joinSharedChannel(b.deps('agent-a'), a);
    await b.settle();
    const socketA = await b.openLatest();
    joinSharedChannel(b.deps('agent-b'), c);
    await b.settle();
    await b.openLatest();
    expect(b.created).toHaveLength(2);
    expect(b.subscriptions.map((s) => s.topics[0])).toEqual([callsTopic('agent-a'), callsTopic('agent-b')]);
    socketA.send({ topicName: callsTopic('agent-a'), eventBody: { id: 'for-a' } });
    await b.settle();
    expect(a.events).toEqual([{ id: 'for-a' }]);
    expect(c.events).toEqual([]);
  });
});

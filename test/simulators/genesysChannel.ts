import axios from 'axios';
import WebSocket from 'ws';

export const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });

export interface Message {
  topicName?: string;
  eventBody?: any;
  metadata?: { CorrelationId?: string };
  [k: string]: unknown;
}

/** A notification channel as a browser app uses it: created, subscribed, connected; messages kept in order. */
export interface OpenChannel {
  id: string;
  connectUri: string;
  ws: WebSocket;
  messages: Message[];
  closed: Promise<{ code: number }>;
  /** resolves with the first message (from `from` on) that matches */
  next(match: (m: Message) => boolean, what?: string, from?: number): Promise<Message>;
  close(): void;
}

export const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

export async function createChannel(baseUrl: string, token: string): Promise<{ id: string; connectUri: string; expires: string }> {
  const res = await http.post(`${baseUrl}/api/v2/notifications/channels`, undefined, auth(token));
  if (res.status !== 200) throw new Error(`channel create answered ${res.status}`);
  return res.data;
}

export function connect(channel: { id: string; connectUri: string }): Promise<OpenChannel> {
  const ws = new WebSocket(channel.connectUri);
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Message);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  const next: OpenChannel['next'] = (match, what = 'message', from = 0) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within 5 s; got ${JSON.stringify(messages.map((m) => m.topicName))}`)), 5000);
      const check = () => {
        const found = messages.slice(from).find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ...channel, ws, messages, closed, next, close: () => ws.close() }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
  });
}

/** A channel for `token` subscribed to `topics`, connected. */
export async function subscribed(baseUrl: string, token: string, topics: string[]): Promise<OpenChannel> {
  const channel = await createChannel(baseUrl, token);
  const put = await http.put(`${baseUrl}/api/v2/notifications/channels/${channel.id}/subscriptions`, topics.map((id) => ({ id })), auth(token));
  if (put.status !== 200) throw new Error(`subscribe answered ${put.status} ${JSON.stringify(put.data)}`);
  return connect(channel);
}

/** The agent participant of `userId` in a calls-topic event body. */
export function legOf(message: Message, userId: string): any {
  return (message.eventBody?.participants as any[] | undefined)?.find((p) => p.purpose === 'agent' && p.user?.id === userId && p.state !== 'terminated');
}

import { encodeUui } from '../../src/domain/uui';
import { generateRequests, operationsOf, type FuzzCredentials, type FuzzRequest } from './fuzzCases';

/**
 * The fuzz of every documented route against a running MaxConf (the suite's slice and
 * `npm run fuzz`): sentinel sessions first, then the generated requests, then checks that no
 * answer was a 5xx, every 4xx was problem+json (a 400 naming its field), no sentinel changed and
 * no log line holds a sentinel's PIN or UUI or any credential.
 */
export interface FuzzOptions {
  url: string;
  runs: number;
  seed: number;
  credentials: FuzzCredentials;
  /** the host's log lines so far (stdout or a log file); undefined: not checked */
  logLines?: () => Promise<string[]> | string[];
  sentinels?: number;
  concurrency?: number;
}

export interface Failure {
  kind: '5xx' | 'non-problem 4xx' | 'unnamed 400' | 'host router';
  route: string;
  target: string;
  label: string;
  status: number;
  body: string;
}

export interface FuzzReport {
  requests: number;
  routes: number;
  failures: Failure[];
  /** cases that failed only at the local host's router (empty 500 before any handler) */
  hostRouterOnly: Failure[];
  leakedLines: string[];
  sentinelChanges: string[];
  logChecked: boolean;
}

interface Sentinel {
  name: string;
  guestPin: string;
  hostPin: string;
  uui: string;
  session: string;
  room: string;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function send(url: string, request: { method: string; target: string; headers: Record<string, string>; body?: string }): Promise<Answer> {
  const res = await fetch(`${url}${request.target}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    redirect: 'manual',
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function getJson(url: string, target: string, token: string): Promise<{ status: number; body: unknown; text: string }> {
  const answer = await send(url, { method: 'GET', target, headers: { authorization: `Bearer ${token}` } });
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    body = undefined;
  }
  return { status: answer.status, body, text: answer.text };
}

async function startSentinel(url: string, credentials: FuzzCredentials, i: number): Promise<Sentinel> {
  const uui = encodeUui('idtest', `fuzzsentinel${i}${Date.now().toString(36)}`);
  const created = await send(url, { method: 'POST', target: `/room/create?uuiData=${uui}`, headers: { authorization: `Bearer ${credentials.idim}` } });
  if (created.status !== 200) throw new Error(`sentinel ${i}: create answered ${created.status}: ${created.text.slice(0, 200)}`);
  const room = JSON.parse(created.text) as { name: string; guest_pin: string };
  const details = await getJson(url, `/room/${encodeURIComponent(room.name)}`, credentials.idim);
  const hostPin = (details.body as { pin?: string } | undefined)?.pin ?? '';
  return { name: room.name, guestPin: room.guest_pin, hostPin, uui, session: '', room: details.text };
}

/** What must not change: the session record (status, custom status, phase) and the room on Pexip. */
async function snapshot(url: string, credentials: FuzzCredentials, s: Sentinel): Promise<{ session: string; room: string }> {
  const session = await getJson(url, `/sessions/${encodeURIComponent(s.name)}`, credentials.support);
  const room = await getJson(url, `/room/${encodeURIComponent(s.name)}`, credentials.idim);
  return { session: `${session.status} ${session.text}`, room: `${room.status} ${room.text}` };
}

async function settledSnapshot(url: string, credentials: FuzzCredentials, s: Sentinel): Promise<{ session: string; room: string }> {
  // the session may still be starting: wait until two reads agree
  let last = await snapshot(url, credentials, s);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const next = await snapshot(url, credentials, s);
    if (next.session === last.session && next.room === last.room && next.session.startsWith('200 ')) return next;
    last = next;
  }
  return last;
}

function problemNamesField(text: string): boolean {
  try {
    const body = JSON.parse(text) as { 'invalid-params'?: { name?: unknown }[]; field?: unknown };
    const params = body['invalid-params'];
    return (Array.isArray(params) && params.length > 0 && params.every((p) => typeof p.name === 'string' && p.name !== '')) || typeof body.field === 'string';
  } catch {
    return false;
  }
}

function isProblem(answer: Answer): boolean {
  if (!answer.contentType.startsWith('application/problem+json')) return false;
  try {
    const body = JSON.parse(answer.text) as { type?: unknown; status?: unknown };
    return typeof body.type === 'string' && body.status === answer.status;
  } catch {
    return false;
  }
}

/** What is wrong with one answer, if anything. GET /health's documented 503 (a dependency not ready) is its contract. */
export function judge(request: FuzzRequest, answer: Answer): Failure | undefined {
  const failure = (kind: Failure['kind']): Failure => ({ kind, route: request.route, target: request.target.slice(0, 200), label: request.body !== undefined ? `${request.label}; ${request.headers['content-type'] ?? 'no content-type'}; body ${JSON.stringify(request.body.slice(0, 40))}` : request.label, status: answer.status, body: answer.text.slice(0, 300) });
  if (answer.status >= 500) {
    if (request.route === 'GET /health' && answer.status === 503) return undefined;
    if (request.hostRouterCase && answer.text === '') return failure('host router');
    return failure('5xx');
  }
  if (answer.status >= 400) {
    if (!isProblem(answer)) return failure('non-problem 4xx');
    if (answer.status === 400 && !problemNamesField(answer.text)) return failure('unnamed 400');
  }
  return undefined;
}

/** Values that must never appear in a log line; a PIN counts only as a whole number, not inside a timestamp. */
export function leakedLines(lines: string[], sentinels: Sentinel[], credentials: FuzzCredentials): string[] {
  const texts = [
    ...sentinels.flatMap((s) => [s.uui, s.uui.split(';')[0]!]),
    credentials.idim,
    credentials.support,
    credentials.sink.password,
    credentials.genesysApiKey,
    ...(credentials.agentToken ? [credentials.agentToken] : []),
  ].filter((t) => t.length >= 8);
  const pins = sentinels.flatMap((s) => [s.guestPin, s.hostPin]).filter(Boolean);
  const pinPattern = pins.length ? new RegExp(`(?<![0-9:.T-])(?:${pins.join('|')})(?![0-9:.Z-])`) : undefined;
  return lines.filter((line) => {
    if (texts.some((t) => line.includes(t))) return true;
    if (!pinPattern) return false;
    // the timestamp field is the only place a run of digits is expected
    const withoutTime = line.replace(/"time":"[^"]*"/g, '');
    return pinPattern.test(withoutTime);
  });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { url, credentials } = options;
  const openapi = await send(url, { method: 'GET', target: '/openapi.json', headers: {} });
  if (openapi.status !== 200) throw new Error(`GET /openapi.json answered ${openapi.status}`);
  const operations = operationsOf(JSON.parse(openapi.text));

  const sentinels: Sentinel[] = [];
  for (let i = 0; i < (options.sentinels ?? 2); i++) sentinels.push(await startSentinel(url, credentials, i));
  for (const s of sentinels) Object.assign(s, await settledSnapshot(url, credentials, s));

  const requests = generateRequests(operations, sentinels[0]!.name, credentials, options.runs, options.seed);
  const failures: Failure[] = [];
  await pool(requests, options.concurrency ?? 4, async (request) => {
    let answer: Answer;
    try {
      // a kept-alive socket the server closed between requests fails the next one before it is sent: try once more
      answer = await send(url, request).catch(() => send(url, request));
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      answer = { status: 599, contentType: '', text: `no answer: ${error instanceof Error ? error.message : String(error)}${cause}` };
    }
    const failure = judge(request, answer);
    if (failure) failures.push(failure);
  });

  const sentinelChanges: string[] = [];
  for (const s of sentinels) {
    const after = await snapshot(url, credentials, s);
    if (after.session !== s.session) sentinelChanges.push(`${s.name}: session ${s.session.slice(0, 300)} → ${after.session.slice(0, 300)}`);
    if (after.room !== s.room) sentinelChanges.push(`${s.name}: room ${s.room.slice(0, 300)} → ${after.room.slice(0, 300)}`);
  }
  const lines = options.logLines ? await options.logLines() : [];
  return {
    requests: requests.length,
    routes: operations.length,
    failures: failures.filter((f) => f.kind !== 'host router'),
    hostRouterOnly: failures.filter((f) => f.kind === 'host router'),
    leakedLines: leakedLines(lines, sentinels, credentials),
    sentinelChanges,
    logChecked: options.logLines !== undefined,
  };
}

/** The report as the CLI prints it. */
export function formatReport(report: FuzzReport): string {
  const count = (kind: Failure['kind']) => report.failures.filter((f) => f.kind === kind).length;
  const rows: [string, string | number][] = [
    ['routes', report.routes],
    ['requests', report.requests],
    ['5xx', count('5xx')],
    ['non-problem 4xx', count('non-problem 4xx')],
    ['400 not naming a field', count('unnamed 400')],
    ['host-router-only 500s', report.hostRouterOnly.length],
    ['leaked-secret log lines', report.logChecked ? report.leakedLines.length : 'not checked (no --log)'],
    ['sentinel changes', report.sentinelChanges.length],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const out = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  const examples = [...report.failures, ...report.hostRouterOnly]
    .slice(0, 15)
    .map((f) => `  ${f.kind}: ${f.route} ${f.target.slice(0, 120)} [${f.label}] → ${f.status} ${f.body.slice(0, 160)}`);
  if (examples.length) out.push('', 'first failures:', ...examples);
  if (report.leakedLines.length) out.push('', 'leaked lines:', ...report.leakedLines.slice(0, 5).map((l) => `  ${l.slice(0, 300)}`));
  if (report.sentinelChanges.length) out.push('', 'sentinel changes:', ...report.sentinelChanges.map((c) => `  ${c}`));
  return out.join('\n');
}

export function reportPassed(report: FuzzReport): boolean {
  return report.failures.length === 0 && report.hostRouterOnly.length === 0 && report.leakedLines.length === 0 && report.sentinelChanges.length === 0;
}

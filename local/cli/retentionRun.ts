import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { mintDevToken, ROLES } from '../../src/adapters/auth';
import { exportHostSettings } from '../../src/config';
import { createLogger } from '../../src/logging/logger';
import { tableClient } from '../../src/adapters/storage/tables';
import { encodeUui } from '../../src/domain/uui';
import { startAzurite } from '../azurite';
import { startLocalHost } from '../durable-host';
import { startGenesysSimulator } from '../genesys-simulator';
import { startPexipSimulator } from '../pexip-simulator';
import { loadPexipClientApi } from './pexipClientApi';

/**
 * What `npm run retention:check` does: a MaxConf of its own on the local durable host (virtual
 * clock, so retention's 0-day cut and hourly timer pass at once), both simulators and Azurite in
 * a fresh data directory. N short sessions are made the real way (IDIM's create, and for some a
 * citizen's join that dials the Genesys queue, then IDIM's delete), so they leave callSession and
 * claim instances, history, per-room and per-conversation entities and session-index rows as
 * production does; then retention runs until nothing more goes, and the counts are compared.
 */
export interface RetentionCheckOptions {
  sessions: number;
  /** every k-th session has a citizen join (and so a conversation); 0 = none */
  joinEvery: number;
  /** sessions in flight at once */
  concurrency: number;
  /** at most this many retention runs (one virtual hour each) */
  maxRuns: number;
  /** warm rooms (ROOM_POOL_SIZE); creates beyond what the pool holds go through the claim orchestration */
  pool: number;
  write(line: string): void;
  progress(line: string): void;
}

export interface StoreFigures {
  instances: number;
  history: number;
  entities: number;
  /** every row of the host's other tables (inboxes, activity and queue work) */
  otherRows: number;
  indexRows: number;
  /** the SQLite file with its WAL, as on disk */
  fileBytes: number;
  /** pages in use (page_count − freelist_count) × page_size */
  usedBytes: number;
  /** the store compacted (`VACUUM INTO` a copy): what the rows take, free pages and page slack left out */
  compactBytes: number;
}

export interface RetentionCheckResult {
  baseline: StoreFigures;
  grown: StoreFigures;
  after: StoreFigures;
  retentionRuns: number;
  joined: number;
  seconds: number;
  ok: boolean;
}

const HOUR = 3600_000;
const INDEX_TABLES = ['maxconfSessions', 'maxconfSessionKeys', 'maxconfTimeline'];
const SINK = { username: 'pexip', password: 'retention-sink-password' };
const QUEUE = 'genesys-events';
const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', ''].join('\r\n');

function sqliteFigures(dataDir: string): Omit<StoreFigures, 'indexRows'> {
  const file = join(dataDir, 'durable-host.sqlite');
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const one = (sql: string) => Object.values(db.prepare(sql).get() as Record<string, number>)[0]!;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    const count = (table: string) => one(`SELECT COUNT(*) FROM "${table}"`);
    const main = ['instances', 'history', 'entities'];
    const fileBytes = [file, `${file}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
    return {
      instances: count('instances'),
      history: count('history'),
      entities: count('entities'),
      otherRows: tables.filter((t) => !main.includes(t)).reduce((n, t) => n + count(t), 0),
      fileBytes,
      usedBytes: (one('PRAGMA page_count') - one('PRAGMA freelist_count')) * one('PRAGMA page_size'),
      compactBytes: compactSize(db),
    };
  } finally {
    db.close();
  }
}

let compactions = 0;
function compactSize(db: DatabaseSync): number {
  const copy = join(mkdtempSync(join(tmpdir(), 'maxconf-compact-')), `copy${compactions++}.sqlite`);
  db.exec(`VACUUM INTO '${copy}'`);
  const size = statSync(copy).size;
  rmSync(copy, { force: true });
  return size;
}

async function indexRows(connectionString: string): Promise<number> {
  let n = 0;
  for (const table of INDEX_TABLES) {
    for await (const _row of tableClient({ connectionString }, table).listEntities({ queryOptions: { select: ['PartitionKey'] } })) n += 1;
  }
  return n;
}

/** The figures that must be back where they were (the file and its pages in use are reported, not compared: SQLite keeps freed pages for reuse, and a B-tree does not merge every page a delete thinned; the compacted copy is what the rows take). */
export function backAtBaseline(baseline: StoreFigures, after: StoreFigures): boolean {
  return after.instances === baseline.instances && after.history === baseline.history && after.entities === baseline.entities && after.indexRows === baseline.indexRows && after.otherRows <= baseline.otherRows && after.compactBytes <= baseline.compactBytes;
}

export async function runRetentionCheck(o: RetentionCheckOptions): Promise<RetentionCheckResult> {
  const started = Date.now();
  const dataDir = join(mkdtempSync(join(tmpdir(), 'maxconf-retention-')), 'state');
  const genesys = await startGenesysSimulator({ answerDelayMs: 0, agents: 1, agentsBusy: true });
  const pexip = await startPexipSimulator({ propagationDelayMs: 0, sipDestination: genesys.sipDestination });
  const azurite = await startAzurite({ dataDir: join(dataDir, 'azurite') });
  const appEnv: Record<string, string> = {
    ...genesys.env(),
    MAXCONF_ENV: 'local',
    LOG_LEVEL: 'silent',
    MAXCONF_DATA_DIR: dataDir,
    AzureWebJobsStorage: azurite.connectionString,
    PEXIP_MANAGEMENT_URL: pexip.url,
    PEXIP_USERNAME: pexip.username,
    PEXIP_PASSWORD: pexip.password,
    PEXIP_CONFERENCE_HOST: new URL(pexip.url).host,
    PEXIP_EVENT_SINK_USERNAME: SINK.username,
    PEXIP_EVENT_SINK_PASSWORD: SINK.password,
    GENESYS_EVENTS_QUEUE: QUEUE,
    ROOM_POOL_SIZE: String(o.pool),
    RETENTION_SCHEDULE: '0 0 * * * *',
    SESSION_RETENTION_DAYS: '0',
  };
  // the app reads its configuration when it loads
  exportHostSettings(appEnv);
  const host = await startLocalHost({ dataDir, port: 0, clock: 'virtual', logger: createLogger({ level: 'silent' }) });
  try {
    pexip.setEventSink(`${host.url}/public/event_sink`, SINK);
    genesys.setEventSink((envelope) => host.enqueue(QUEUE, envelope));
    const token = (roles: string[]) => mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles });
    const idim = { authorization: `Bearer ${await token([ROLES.idim])}` };
    const settle = async () => {
      for (let i = 0; i < 3; i += 1) {
        await pexip.flushEvents();
        await genesys.control.eventsDelivered();
        await host.idle();
      }
    };
    const figures = async (): Promise<StoreFigures> => ({ ...sqliteFigures(dataDir), indexRows: await indexRows(azurite.connectionString) });
    const api = loadPexipClientApi();

    await settle();
    // a first run clears what starting left (the pool's finished refill rounds); then the baseline
    await host.advance(HOUR);
    await settle();
    const baseline = await figures();
    o.write(`baseline taken; running ${o.sessions} sessions (${o.concurrency} at a time, a citizen joins every ${o.joinEvery || 'no'}${o.joinEvery ? 'th' : ''} session)`);

    let done = 0;
    let joined = 0;
    const one = async (i: number) => {
      const created = await fetch(`${host.url}/room/create?uuiData=${encodeUui('idtest', `vcret${i}`)}`, { method: 'POST', headers: idim });
      if (created.status !== 200) throw new Error(`session ${i}: POST /room/create answered ${created.status}`);
      const room = (await created.json()) as { name: string; guest_pin: string };
      if (o.joinEvery > 0 && i % o.joinEvery === 0) {
        const params = { conferenceAlias: room.name };
        const granted = await api.requestToken({ fetcher: api.withPin(fetch, room.guest_pin), params, body: { display_name: 'citizen' }, host: pexip.url });
        if (granted.status !== 200) throw new Error(`session ${i}: join refused (${granted.status})`);
        const { token: t, participant_uuid: participantUuid } = granted.data.result;
        const call = await api.callsWebrtcParticipant({ fetcher: api.withToken(fetch, t), params: { ...params, participantUuid }, body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' }, host: pexip.url });
        if (call.status !== 200) throw new Error(`session ${i}: call refused (${call.status})`);
        joined += 1;
        await settle();
      }
      const deleted = await fetch(`${host.url}/room/${encodeURIComponent(room.name)}`, { method: 'DELETE', headers: idim });
      if (deleted.status !== 204) throw new Error(`session ${i}: DELETE /room answered ${deleted.status}`);
    };
    for (let next = 0; next < o.sessions; ) {
      const batch = Array.from({ length: Math.min(o.concurrency, o.sessions - next) }, (_, k) => next + k);
      await Promise.all(batch.map(one));
      await settle();
      next += batch.length;
      done = next;
      o.progress(`sessions ${done}/${o.sessions} (citizens joined ${joined}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    await settle();
    const grown = await figures();

    let after = grown;
    let runs = 0;
    while (runs < o.maxRuns) {
      await host.advance(HOUR);
      await settle();
      runs += 1;
      const now = await figures();
      o.progress(`retention run ${runs}: instances ${now.instances}, entities ${now.entities}, index rows ${now.indexRows}`);
      const moved = JSON.stringify(now) !== JSON.stringify(after);
      after = now;
      if (backAtBaseline(baseline, after) || !moved) break;
    }
    return { baseline, grown, after, retentionRuns: runs, joined, seconds: (Date.now() - started) / 1000, ok: backAtBaseline(baseline, after) };
  } finally {
    await host.stop();
    await pexip.stop();
    await genesys.stop();
    await azurite.stop();
  }
}

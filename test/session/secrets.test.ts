import { readdirSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { queueClient, tableClient } from '../../src/adapters/storage/tables';
import { encodeUui } from '../../src/domain/uui';
import { startStack, type Stack } from './stack';

const TABLES = ['maxconfSessions', 'maxconfSessionKeys', 'maxconfTimeline'];
const WARM_QUEUE = 'maxconf-warm-rooms';

/**
 * Issue 13, secrets only where needed: sessions run through the local host (warm rooms and rooms
 * made on demand, citizens joining and reaching the Genesys queue, IDIM ending them), then every
 * durable row (instances with their inputs, outputs and custom statuses, history, entities,
 * inboxes, activity results, queue messages), the session index and the warm-room queue are read
 * back: neither room PIN is in any of them. A PIN is looked for as a JSON string value (`"1234"`,
 * also inside JSON held as a string), not as bare digits, which timestamps and ids also contain.
 */
describe('no room PIN rests in durable state, the session index or the warm-room queue', () => {
  let stack: Stack;
  afterAll(async () => stack?.stop());

  function sqliteTexts(dataDir: string): { table: string; text: string }[] {
    const db = new DatabaseSync(join(dataDir, 'durable-host.sqlite'), { readOnly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      return tables.flatMap((table) => (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((row) => ({ table, text: JSON.stringify(row) })));
    } finally {
      db.close();
    }
  }

  async function indexTexts(): Promise<{ table: string; text: string }[]> {
    const account = { connectionString: stack.host.env.AzureWebJobsStorage! };
    const out: { table: string; text: string }[] = [];
    for (const table of TABLES) for await (const row of tableClient(account, table).listEntities()) out.push({ table, text: JSON.stringify(row) });
    const peeked = await queueClient(account, WARM_QUEUE).peekMessages({ numberOfMessages: 32 });
    for (const message of peeked.peekedMessageItems) out.push({ table: WARM_QUEUE, text: message.messageText });
    return out;
  }

  /** a PIN as a JSON string value, plain or escaped inside JSON held as a string */
  const holds = (text: string, pin: string) => text.includes(`"${pin}"`) || text.includes(`\\"${pin}\\"`);

  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...filesUnder(join(dir, e.name))] : [join(dir, e.name)]));
  }

  it('after warm and on-demand claims, joins, queueing and ends, 0 rows hold a host or guest PIN; state files are owner-only', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'maxconf-secrets-')), 'state');
    stack = await startStack({ env: { ROOM_POOL_SIZE: '2', MAXCONF_DATA_DIR: dataDir } });
    await stack.settle();

    // six creates at once against a pool of two: some rooms are warm, the rest made on demand through the claim orchestration
    const created = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const res = await stack.api('POST', `/room/create?uuiData=${encodeUui('idtest', `vcsecret${i}`)}`, { token: stack.idim });
        expect(res.status).toBe(200);
        return res.body as { name: string; guest_pin: string; pin?: string };
      }),
    );
    await stack.settle();
    const pins: { room: string; guest: string; host: string }[] = [];
    for (const room of created) {
      // the create answer carries the guest PIN (the citizen needs it), never the host PIN
      expect(room.guest_pin).toMatch(/^\d{4}$/);
      expect(room).not.toHaveProperty('pin');
      const full = await stack.api('GET', `/room/${room.name}`, { token: stack.idim });
      expect(full.body.guest_pin).toBe(room.guest_pin);
      pins.push({ room: room.name, guest: room.guest_pin, host: full.body.pin });
    }
    expect(pins.every((p) => /^\d{6}$/.test(p.host))).toBe(true);

    for (const room of created.slice(0, 3)) await stack.join(room.name, room.guest_pin);
    await stack.until('three sessions queued', async () => {
      const phases = await Promise.all(created.slice(0, 3).map(async (r) => (await stack.session(r.name)).phase));
      return phases.every((p) => p === 'queued');
    }, 60_000);
    const supportViews = await Promise.all(created.map(async (r) => JSON.stringify(await stack.session(r.name))));
    for (const room of created) expect((await stack.api('DELETE', `/room/${room.name}`, { token: stack.idim })).status).toBe(204);
    await stack.until('every session ended', async () => {
      const phases = await Promise.all(created.map(async (r) => (await stack.session(r.name)).phase));
      return phases.every((p) => p === 'ended');
    }, 60_000);
    await stack.settle();

    const rows = [...sqliteTexts(dataDir), ...(await indexTexts()), ...supportViews.map((text) => ({ table: 'GET /sessions/{id}', text }))];
    // the scan sees what it should: every session's rows, the history that made the rooms, the queue's warm rooms
    const durableText = rows.map((r) => r.text).join('\n');
    for (const p of pins) expect(durableText).toContain(p.room);
    expect(rows.some((r) => r.table === 'history' && r.text.includes('pexipCreatePoolRoom'))).toBe(true);
    expect(rows.some((r) => r.table === WARM_QUEUE)).toBe(true);

    const hits = rows.flatMap((r) => pins.flatMap((p) => [p.guest, p.host].filter((pin) => holds(r.text, pin)).map((pin) => `${r.table}: ${pin === p.host ? 'host' : 'guest'} PIN of ${p.room}`)));
    expect(hits).toEqual([]);
    // and no PIN field under any name Pexip uses
    expect(rows.filter((r) => /"(?:pin|guest_pin|hostPin|guestPin)\\?"\s*:/.test(r.text)).map((r) => r.table)).toEqual([]);

    // every state file the host and Azurite wrote is readable by its owner only (or sits in an owner-only directory)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of filesUnder(dataDir)) {
      const mode = statSync(file).mode & 0o777;
      if (file.endsWith('.sqlite') || file.includes('.sqlite-')) expect([file, mode]).toEqual([file, 0o600]);
      if (statSync(file).isDirectory() && file === join(dataDir, 'azurite')) expect([file, mode]).toEqual([file, 0o700]);
    }
  }, 180_000);
});

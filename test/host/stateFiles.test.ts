import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureHost, webhooks } from './support';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

/** The host's SQLite files hold session inputs and outputs: owner-only, like the secrets file. */
describe('local durable host: state file permissions', () => {
  it('creates the data directory 0700 and the database, WAL and SHM files 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'maxconf-modes-')), 'state');
    const host = await startFixtureHost({ dataDir });
    try {
      await webhooks(host).start('chain', ['x']);
      await host.idle();
      expect(modeOf(dataDir)).toBe(0o700);
      for (const name of ['durable-host.sqlite', 'durable-host.sqlite-wal', 'durable-host.sqlite-shm']) {
        expect([name, modeOf(join(dataDir, name))]).toEqual([name, 0o600]);
      }
    } finally {
      await host.stop();
    }
  });

  it('tightens a data directory and database left world-readable by an older run', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'maxconf-modes-')), 'state');
    mkdirSync(dataDir, { mode: 0o755 });
    writeFileSync(join(dataDir, 'durable-host.sqlite'), '', { mode: 0o644 });
    const host = await startFixtureHost({ dataDir });
    try {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(join(dataDir, 'durable-host.sqlite'))).toBe(0o600);
    } finally {
      await host.stop();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../apps/customer-app/src/config';

const ROOT = join(__dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/apps/staticwebapp-config.js');
const generator = require(SCRIPT) as { customerStaticWebAppConfig(config: unknown): any; readEnvironment(name: string, app?: string): unknown };

function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('the Customer App’s staticwebapp.config.json', () => {
  it('test: no site may frame it, and it connects only to MaxConf and the conference node', () => {
    const swa = generator.customerStaticWebAppConfig(generator.readEnvironment('test', 'customer'));
    const csp = directives(swa.globalHeaders['Content-Security-Policy']);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(swa.globalHeaders['X-Frame-Options']).toBe('DENY');
    expect(csp['connect-src']).toEqual(["'self'", 'https://api.test.vc.maxconf.ca', 'https://conference.test.vc.maxconf.ca']);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(swa.globalHeaders['Permissions-Policy']).toMatch(/camera=\(self\), microphone=\(self\)/);
    expect(swa.routes).toContainEqual({ route: '/config.json', headers: { 'Cache-Control': 'no-store' } });
  });

  it('the CLI writes both files for production; config.json parses as the app reads it', () => {
    const out = mkdtempSync(join(tmpdir(), 'customer-swa-'));
    try {
      const run = spawnSync(process.execPath, [SCRIPT, '--app', 'customer', '--env', 'production', '--out', out], { encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(parseConfig(200, readFileSync(join(out, 'config.json'), 'utf8')).ok).toBe(true);
      const csp = directives(JSON.parse(readFileSync(join(out, 'staticwebapp.config.json'), 'utf8')).globalHeaders['Content-Security-Policy']);
      expect(csp['connect-src']!.join(' ')).not.toMatch(/test/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses an unknown app', () => {
    const run = spawnSync(process.execPath, [SCRIPT, '--app', 'kiosk', '--env', 'test', '--out', tmpdir()], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--app: one of agent, customer/);
  });
});

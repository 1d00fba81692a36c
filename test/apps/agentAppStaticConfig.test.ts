import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentAppConfig } from '../../apps/agent-app/src/config';

const ROOT = join(__dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/apps/staticwebapp-config.js');
const generator = require(SCRIPT) as {
  appConfig(settings: unknown, env?: Record<string, string>): any;
  staticWebAppConfig(config: unknown): any;
  readEnvironment(name: string): unknown;
};

function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('staticwebapp.config.json and config.json per environment', () => {
  it.each(['test', 'production'])('%s: config.json is a valid app config once the client id is given', (env) => {
    const config = generator.appConfig(generator.readEnvironment(env), { AGENT_APP_OAUTH_CLIENT_ID: 'client-1', AGENT_APP_VIDEO_QUEUE_IDS: 'q-1, q-2' });
    const parsed = AgentAppConfig.safeParse(config);
    expect(parsed.success).toBe(true);
    expect(config.genesys.oauthClientId).toBe('client-1');
    expect(config.videoQueueIds).toEqual(['q-1', 'q-2']);
  });

  it('refuses to write a config without an OAuth client id', () => {
    expect(() => generator.appConfig(generator.readEnvironment('test'), {})).toThrow(/genesys\.oauthClientId/);
  });

  it('test: the CSP frames only under the Genesys desktop and connects only to the environment hosts', () => {
    const swa = generator.staticWebAppConfig(generator.appConfig(generator.readEnvironment('test'), { AGENT_APP_OAUTH_CLIENT_ID: 'c' }));
    const csp = directives(swa.globalHeaders['Content-Security-Policy']);
    expect(csp['frame-ancestors']).toEqual(['https://apps.cac1.pure.cloud']);
    expect(csp['connect-src']).toEqual([
      "'self'",
      'https://api.test.vc.maxconf.ca',
      'https://conference.test.vc.maxconf.ca',
      'https://api.cac1.pure.cloud',
      'https://login.cac1.pure.cloud',
      'wss://streaming.cac1.pure.cloud',
    ]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(swa.globalHeaders['Permissions-Policy']).toMatch(/camera=\(self\)/);
    expect(swa.globalHeaders['Permissions-Policy']).toMatch(/microphone=\(\)/);
    // framing is governed by frame-ancestors alone; an X-Frame-Options header would block Genesys
    expect(Object.keys(swa.globalHeaders)).not.toContain('X-Frame-Options');
  });

  it('production names production hosts only', () => {
    const swa = generator.staticWebAppConfig(generator.appConfig(generator.readEnvironment('production'), { AGENT_APP_OAUTH_CLIENT_ID: 'c' }));
    const connect = directives(swa.globalHeaders['Content-Security-Policy'])['connect-src']!;
    expect(connect).toContain('https://api.vc.maxconf.ca');
    expect(connect).toContain('https://conference.vc.maxconf.ca');
    expect(connect.join(' ')).not.toMatch(/test/);
  });

  it('a local gateway gives http and ws on the gateway only', () => {
    const swa = generator.staticWebAppConfig({
      maxconfApiBase: 'http://localhost:7071/api',
      conferenceNodeUrl: 'http://localhost:7073',
      genesys: { gateway: { host: 'localhost', protocol: 'http', port: 7072 }, oauthClientId: 'c', allowedParentOrigin: 'http://localhost:7072' },
    });
    const csp = directives(swa.globalHeaders['Content-Security-Policy']);
    expect(csp['connect-src']).toEqual(["'self'", 'http://localhost:7071', 'http://localhost:7073', 'http://localhost:7072', 'ws://localhost:7072']);
    expect(csp['frame-ancestors']).toEqual(['http://localhost:7072']);
  });

  it('the CLI writes both files, and exits 2 naming the problem', () => {
    const out = mkdtempSync(join(tmpdir(), 'swa-'));
    try {
      const ok = spawnSync(process.execPath, [SCRIPT, '--env', 'test', '--out', out], { env: { ...process.env, AGENT_APP_OAUTH_CLIENT_ID: 'client-9' }, encoding: 'utf8' });
      expect(ok.status).toBe(0);
      expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).genesys.oauthClientId).toBe('client-9');
      expect(JSON.parse(readFileSync(join(out, 'staticwebapp.config.json'), 'utf8')).globalHeaders['Content-Security-Policy']).toMatch(/frame-ancestors https:\/\/apps\.cac1\.pure\.cloud/);
      const bad = spawnSync(process.execPath, [SCRIPT, '--env', 'nowhere', '--out', out], { encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/environments\/nowhere\.json/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

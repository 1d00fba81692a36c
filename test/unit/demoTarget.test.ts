import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearerVerifier, devJwks, localKeys, mintDevToken, ROLES } from '../../src/adapters/auth';
import { locateDemoTarget } from '../../local/cli/demoTarget';

const AUTH = { issuer: 'https://maxconf.local/dev', audience: 'api://maxconf-local' };

/** A stand-in MaxConf: /health answers, /sessions accepts support tokens of one data directory's dev issuer only. */
async function fakeMaxConf(dataDir: string): Promise<{ url: string; server: Server }> {
  writeFileSync(join(dataDir, 'dev-secrets.json'), '{}');
  const verifier = bearerVerifier({ keys: localKeys(await devJwks(dataDir)), ...AUTH });
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/health') return res.writeHead(200).end('{}');
      const verdict = await verifier.verify(req.headers.authorization, ROLES.support);
      res.writeHead(verdict.ok ? 200 : verdict.status).end('{}');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, server };
}

const dir = (name: string) => mkdtempSync(join(tmpdir(), `mc-demo-${name}-`));

describe('npm run demo finds the MaxConf at its URL', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('says so plainly when nothing answers at the URL', async () => {
    const { url, server } = await fakeMaxConf(dir('gone'));
    await new Promise((r) => server.close(r));
    await expect(locateDemoTarget({ url, dataDirs: [dir('any')], auth: AUTH })).rejects.toThrow(`no MaxConf answers at ${url}`);
  });

  it('uses the data directory whose dev issuer that MaxConf trusts, and reads its simulators there', async () => {
    const running = dir('running');
    const { url, server } = await fakeMaxConf(running);
    servers.push(server);
    writeFileSync(join(running, 'pexip-simulator.json'), JSON.stringify({ url: 'http://127.0.0.1:1111' }));
    writeFileSync(join(running, 'genesys-simulator.json'), JSON.stringify({ url: 'http://127.0.0.1:2222' }));
    const stale = dir('stale');
    // a directory of another MaxConf, with a key of its own
    writeFileSync(join(stale, 'dev-secrets.json'), '{}');
    await mintDevToken({ dataDir: stale, ...AUTH, roles: [] });
    const untouched = join(dir('parent'), 'never-used');

    const target = await locateDemoTarget({ url: `${url}/`, dataDirs: [untouched, stale, running], auth: AUTH });

    expect(target).toMatchObject({ url, dataDir: running, pexipUrl: 'http://127.0.0.1:1111', genesysUrl: 'http://127.0.0.1:2222' });
    // tokens the MaxConf accepts, and no key minted into a directory MaxConf never used
    expect((await fetch(`${url}/sessions`, { headers: { authorization: `Bearer ${target.supportToken}` } })).status).toBe(200);
    expect(existsSync(untouched)).toBe(false);
  });

  it('prefers the vendors settings over the simulators’ own address files', async () => {
    const running = dir('vendors');
    const { url, server } = await fakeMaxConf(running);
    servers.push(server);
    writeFileSync(join(running, 'pexip-simulator.json'), JSON.stringify({ url: 'http://127.0.0.1:1111' }));
    writeFileSync(
      join(running, 'vendors.json'),
      JSON.stringify({ pid: 1, startedAt: '', env: { PEXIP_MANAGEMENT_URL: 'http://127.0.0.1:3333', GENESYS_API_BASE_URL: 'http://127.0.0.1:4444' } }),
    );
    const target = await locateDemoTarget({ url, dataDirs: [running], auth: AUTH });
    expect(target).toMatchObject({ pexipUrl: 'http://127.0.0.1:3333', genesysUrl: 'http://127.0.0.1:4444' });
  });

  it('names what is missing: no trusted data directory, or no simulator address', async () => {
    const running = dir('nosim');
    const { url, server } = await fakeMaxConf(running);
    servers.push(server);
    const other = dir('other');
    writeFileSync(join(other, 'dev-secrets.json'), '{}');
    await mintDevToken({ dataDir: other, ...AUTH, roles: [] });
    await expect(locateDemoTarget({ url, dataDirs: [other], auth: AUTH })).rejects.toThrow(/trusts the dev issuer of none of .*--data-dir/);

    mkdirSync(running, { recursive: true });
    writeFileSync(join(running, 'genesys-simulator.json'), JSON.stringify({ url: 'http://127.0.0.1:2222' }));
    await expect(locateDemoTarget({ url, dataDirs: [other, running], auth: AUTH })).rejects.toThrow(`(data in ${running}) has no Pexip simulator address`);
  });
});

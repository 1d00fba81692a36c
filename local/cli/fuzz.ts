/**
 * `npm run fuzz`: drives every route of a running `npm start` (read from its `/openapi.json`)
 * with generated bad input and prints a table: requests, 5xx, non-problem 4xx, 400s that do not
 * name a field, log lines holding a sentinel's PIN or UUI or a credential, and sentinel sessions
 * that changed. Exits non-zero on any failure.
 *
 *   --url <base>    MaxConf (default http://127.0.0.1:$PORT)
 *   --runs <n>      requests (default 2000)
 *   --seed <n>      fast-check seed (default: random, printed)
 *   --log <file>    the host's log (e.g. `npm start > maxconf.log`), checked for leaked secrets
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintDevToken, ROLES } from '../../src/adapters/auth';
import { loadConfig } from '../../src/config';
import { SIMULATOR_FILE as GENESYS_SIMULATOR_FILE } from '../genesys-simulator/starter';
import { formatReport, reportPassed, runFuzz } from './fuzzRun';

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** A Genesys user token from the simulator `npm start` runs, for the Agent App route; none without it. */
async function agentToken(dataDir: string): Promise<string | undefined> {
  try {
    const { url } = JSON.parse(readFileSync(join(dataDir, GENESYS_SIMULATOR_FILE), 'utf8')) as { url: string };
    const minted = await fetch(`${url}/sim/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (minted.status !== 201) return undefined;
    return ((await minted.json()) as { access_token?: string }).access_token;
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  if (config.auth.jwksUrl) {
    process.stderr.write('fuzz: AUTH_JWKS_URL is set; the fuzz mints local dev tokens and runs against the local profile only\n');
    return 2;
  }
  const url = option(argv, 'url') ?? `http://127.0.0.1:${config.port}`;
  const runs = Number(option(argv, 'runs') ?? '2000');
  const seed = Number(option(argv, 'seed') ?? String(Math.floor(Math.random() * 2 ** 31)));
  const log = option(argv, 'log');
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    process.stderr.write('usage: npm run fuzz -- [--url <base>] [--runs <n>] [--seed <n>] [--log <file>]\n');
    return 2;
  }
  const token = (roles: string[]) => mintDevToken({ dataDir: config.dataDir, issuer: config.auth.issuer, audience: config.auth.audience, roles });
  const agent = await agentToken(config.dataDir);
  const credentials = {
    idim: await token([ROLES.idim]),
    support: await token([ROLES.support]),
    sink: config.pexip.eventSink,
    genesysApiKey: config.genesys.eventsApiKey,
    ...(agent ? { agentToken: agent } : {}),
  };
  process.stdout.write(`fuzzing ${url} with ${runs} requests, seed ${seed}\n`);
  const started = Date.now();
  const report = await runFuzz({
    url,
    runs,
    seed,
    credentials,
    ...(log ? { logLines: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) } : {}),
  });
  process.stdout.write(`${formatReport(report)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return reportPassed(report) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

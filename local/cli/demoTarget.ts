import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mintDevToken, ROLES } from '../../src/adapters/auth';
import { SIMULATOR_FILE as GENESYS_SIMULATOR_FILE } from '../genesys-simulator/starter';
import { PEXIP_SIMULATOR_FILE } from '../pexip-simulator/starter';

/** A refusal the demo prints as it is: what is missing and what to do. */
export class DemoError extends Error {}

/** The running MaxConf the demo talks to, and what it needs from that MaxConf's data directory. */
export interface DemoTarget {
  url: string;
  dataDir: string;
  pexipUrl: string;
  genesysUrl: string;
  idimToken: string;
  supportToken: string;
}

export interface LocateOptions {
  /** `--url`, else `http://127.0.0.1:$PORT` */
  url: string;
  /** data directories to try, in order (`--data-dir`, MAXCONF_DATA_DIR, the default) */
  dataDirs: string[];
  auth: { issuer: string; audience: string };
  timeoutMs?: number;
}

/** files a local MaxConf leaves in its data directory from its first start (secrets, durable store) */
const DATA_DIR_MARKERS = ['dev-secrets.json', 'durable-host.sqlite'];
/** where the vendors process of `npm start` may leave the simulators' settings (its env) */
const VENDORS_FILE = 'vendors.json';

async function answers(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<number | undefined> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A simulator's address: from the vendors settings if there are any, else from its own address file. */
function simulatorUrl(dataDir: string, setting: string, file: string): string | undefined {
  const vendors = readJson(join(dataDir, VENDORS_FILE)) as { env?: Record<string, unknown> } | undefined;
  const fromVendors = vendors?.env?.[setting];
  if (typeof fromVendors === 'string') return fromVendors;
  const own = readJson(join(dataDir, file)) as { url?: unknown } | undefined;
  return typeof own?.url === 'string' ? own.url : undefined;
}

/**
 * Finds the MaxConf at `url` and the data directory it runs on: the one whose dev issuer that
 * MaxConf trusts (a support token minted from it is accepted by `GET /sessions`), so a wrong or
 * stale directory is never used by mistake. Then reads where its simulators listen.
 */
export async function locateDemoTarget(options: LocateOptions): Promise<DemoTarget> {
  const url = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 20_000;
  if ((await answers(`${url}/health`, timeoutMs)) === undefined) {
    throw new DemoError(`no MaxConf answers at ${url}: start it with \`npm start\`, or point the demo at a running one with --url <url> or PORT`);
  }
  const dirs = [...new Set(options.dataDirs.map((d) => resolve(d)))];
  const mint = (dataDir: string, role: string) => mintDevToken({ dataDir, ...options.auth, roles: [role] });
  let dataDir: string | undefined;
  const tried: string[] = [];
  for (const dir of dirs) {
    // minting creates the dev issuer's key where there is none: only try directories MaxConf has used
    if (!DATA_DIR_MARKERS.some((file) => existsSync(join(dir, file)))) {
      tried.push(`${dir} (not a MaxConf data directory)`);
      continue;
    }
    const status = await answers(`${url}/sessions?pageSize=1`, timeoutMs, { authorization: `Bearer ${await mint(dir, ROLES.support)}` });
    if (status === 200) {
      dataDir = dir;
      break;
    }
    tried.push(`${dir} (${status === undefined ? `no answer in ${timeoutMs / 1000} s` : `answered ${status}`})`);
  }
  if (!dataDir) {
    throw new DemoError(
      `the MaxConf at ${url} trusts the dev issuer of none of ${tried.join(', ')}: pass the data directory it was started with (--data-dir <dir> or MAXCONF_DATA_DIR)`,
    );
  }
  const pexipUrl = simulatorUrl(dataDir, 'PEXIP_MANAGEMENT_URL', PEXIP_SIMULATOR_FILE);
  const genesysUrl = simulatorUrl(dataDir, 'GENESYS_API_BASE_URL', GENESYS_SIMULATOR_FILE);
  if (!pexipUrl || !genesysUrl) {
    const missing = [!pexipUrl && 'Pexip', !genesysUrl && 'Genesys'].filter(Boolean).join(' and ');
    throw new DemoError(
      `the MaxConf at ${url} (data in ${dataDir}) has no ${missing} simulator address (${VENDORS_FILE} or its own file): the demo needs the simulators \`npm start\` runs when no real vendor is configured`,
    );
  }
  return { url, dataDir, pexipUrl, genesysUrl, idimToken: await mint(dataDir, ROLES.idim), supportToken: await mint(dataDir, ROLES.support) };
}

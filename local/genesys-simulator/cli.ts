/**
 * Scripts the running Genesys simulator through its control API:
 *
 *   npm run genesys:sim -- state
 *   npm run genesys:sim -- agents add [--division <id>]
 *   npm run genesys:sim -- agents available|busy|logoff|auto-answer|manual-answer <userId>
 *   npm run genesys:sim -- answer|abandon|agent-hangup|customer-hangup <conversationId|roomName> [--agent <userId>]
 *   npm run genesys:sim -- flow [--holiday true|false] [--open true|false]
 *   npm run genesys:sim -- token [--user <userId>] [--division <id>] [--expires <seconds>]
 *   npm run genesys:sim -- rate-limit <requestsPerMinute|off>   (Genesys's default is 300 per token)
 *   npm run genesys:sim -- faults '<json>'      e.g. '{"latencyMs":200,"events":{"duplicateRate":0.3}}'
 *   npm run genesys:sim -- events
 *
 * The simulator's address comes from `--url`, else from the file `npm start` writes in the data
 * directory (`--data-dir`, default `.maxconf/`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIMULATOR_FILE } from './starter';

interface Parsed {
  words: string[];
  flags: Record<string, string>;
}

export function parseArgs(argv: string[]): Parsed {
  const words: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      flags[a.slice(2)] = argv[i + 1] ?? '';
      i++;
    } else words.push(a);
  }
  return { words, flags };
}

/** The control request a command line means: method, path and body. */
export function toRequest(p: Parsed): { method: 'GET' | 'POST'; path: string; body?: unknown } {
  const [command, a, b] = p.words;
  const f = p.flags;
  switch (command) {
    case 'state':
      return { method: 'GET', path: '/sim/state' };
    case 'events':
      return { method: 'GET', path: '/sim/events' };
    case 'agents':
      if (a === 'add') return { method: 'POST', path: '/sim/agents', body: { ...(f.division ? { divisionId: f.division } : {}), ...(f.name ? { name: f.name } : {}) } };
      if ((a === 'available' || a === 'busy' || a === 'logoff' || a === 'auto-answer' || a === 'manual-answer') && b) return { method: 'POST', path: `/sim/agents/${encodeURIComponent(b)}/${a}` };
      break;
    case 'answer':
    case 'abandon':
    case 'agent-hangup':
    case 'customer-hangup':
      if (a) return { method: 'POST', path: `/sim/conversations/${encodeURIComponent(a)}/${command}`, body: f.agent ? { userId: f.agent } : {} };
      break;
    case 'flow':
      return {
        method: 'POST',
        path: '/sim/flow',
        body: {
          ...(f.holiday ? { holiday: f.holiday === 'true' } : {}),
          ...(f.open ? { open: f.open === 'true' } : {}),
          ...(f['release-when-no-agents'] ? { releaseWhenNoAgents: f['release-when-no-agents'] === 'true' } : {}),
        },
      };
    case 'token':
      return {
        method: 'POST',
        path: '/sim/tokens',
        body: { ...(f.user ? { userId: f.user } : {}), ...(f.division ? { divisionId: f.division } : {}), ...(f.expires ? { expiresInSeconds: Number(f.expires) } : {}) },
      };
    case 'rate-limit':
      if (a === 'off') return { method: 'POST', path: '/sim/rate-limit', body: { requestsPerMinute: null } };
      if (a && /^\d+$/.test(a)) return { method: 'POST', path: '/sim/rate-limit', body: { requestsPerMinute: Number(a) } };
      break;
    case 'faults':
      return { method: 'POST', path: '/sim/faults', body: JSON.parse(a ?? '{}') as unknown };
  }
  throw new Error(`unknown command: ${p.words.join(' ') || '(none)'}; see the header of local/genesys-simulator/cli.ts`);
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseArgs(argv);
  const url =
    parsed.flags.url ??
    (JSON.parse(readFileSync(join(parsed.flags['data-dir'] ?? '.maxconf/', SIMULATOR_FILE), 'utf8')) as { url: string }).url;
  const { url: _u, 'data-dir': _d, ...flags } = parsed.flags;
  const request = toRequest({ words: parsed.words, flags });
  const res = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: { 'content-type': 'application/json' },
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
  });
  process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
  if (!res.ok) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`genesys:sim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

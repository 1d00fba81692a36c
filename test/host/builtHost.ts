import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    newest = Math.max(newest, s.isDirectory() ? newestSource(path) : name.endsWith('.ts') ? s.mtimeMs : 0);
  }
  return newest;
}

/**
 * `npm test` builds dist/ before jest; a lone `jest` run builds it here when the compiled files
 * are missing or older than the host's sources.
 */
export function ensureBuilt(outputs: string[]): void {
  const sources = Math.max(...['local', 'bench', 'src'].map((d) => newestSource(join(ROOT, d))));
  const fresh = outputs.every((o) => existsSync(o) && statSync(o).mtimeMs >= sources);
  if (fresh) return;
  // other modules' type errors do not stop tsc from emitting, so success is judged by the output
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  for (const o of outputs) if (!existsSync(o)) throw new Error(`could not build ${o}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

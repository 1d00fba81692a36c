import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Where the vendors process leaves its settings, in the data directory (mode 0600: it holds the simulators' credentials). */
export const VENDORS_FILE = 'vendors.json';

const vendorsSettings = z.object({
  /** the vendors process, so a host attaching to it can tell whether it still runs */
  pid: z.number().int().positive(),
  /** settings that point MaxConf at the simulators (PEXIP_MANAGEMENT_URL, GENESYS_*, …) */
  env: z.record(z.string(), z.string()),
  startedAt: z.string(),
});
export type VendorsSettings = z.infer<typeof vendorsSettings>;

export function vendorsFilePath(dataDir: string): string {
  return join(dataDir, VENDORS_FILE);
}

export function writeVendorsFile(path: string, settings: VendorsSettings): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(settings, null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

export function removeVendorsFile(path: string, pid: number): void {
  // a newer vendors process may have replaced it: only remove our own
  try {
    if (readVendorsFile(path).pid !== pid) return;
  } catch {
    return;
  }
  rmSync(path, { force: true });
}

export function readVendorsFile(path: string): VendorsSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no vendors settings at ${path}: start them with \`npm run vendors\` first`);
  }
  const parsed = vendorsSettings.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a vendors settings file (${parsed.error.issues[0]?.path.join('.') ?? 'shape'})`);
  return parsed.data;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `npm run host:history -- <instanceId> [--data-dir <dir>]`: prints an instance's status and its
 * stored history, one event a line. Reads the host's SQLite file directly (safe while it runs).
 */
import { loadConfig } from '../../src/config';
import { formatHistory } from './history';
import { HostStore } from './store';

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf('--data-dir');
  const dataDir = at >= 0 ? args[at + 1] : undefined;
  const instanceId = args.find((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
  if (!instanceId) {
    process.stderr.write('usage: npm run host:history -- <instanceId> [--data-dir <dir>]\n');
    process.exit(2);
  }
  const store = new HostStore(dataDir ?? loadConfig().dataDir);
  try {
    const instance = store.instances.get(instanceId);
    if (!instance) {
      process.stderr.write(`no instance '${instanceId}'\n`);
      process.exit(1);
    }
    process.stdout.write(
      `${instance.instanceId}  ${instance.name}  ${instance.status}  created ${new Date(instance.createdAt).toISOString()}  ` +
        `updated ${new Date(instance.updatedAt).toISOString()}\n`,
    );
    if (instance.customStatus) process.stdout.write(`custom status: ${instance.customStatus}\n`);
    if (instance.output) process.stdout.write(`output: ${instance.output}\n`);
    process.stdout.write(`${formatHistory(store.history.events(instanceId))}\n`);
  } finally {
    store.close();
  }
}

main();

#!/usr/bin/env node
/* global fetch, setTimeout, URLSearchParams */
/**
 * Drain gate: waits until no call session is Running or Pending in the task hub of the slot about
 * to be replaced, because a swap makes the incoming build replay that hub's in-flight histories
 * (docs/deploy.md, "Task hubs and in-flight sessions around a swap").
 *
 * Asks the Durable Functions HTTP API of that slot:
 *   GET https://<host>/runtime/webhooks/durabletask/instances?runtimeStatus=Running,Pending
 * authorised by the slot's durabletask_extension system key (read with the Azure CLI, never printed).
 * Durable entities (instance ids starting with "@") are always "Running" and hold no call, so they
 * are left out; --ignore-name leaves out other long-lived orchestrations by name.
 *
 * Usage:
 *   node scripts/deploy/drain-gate.js --resource-group <rg> --app <app> [--slot production]
 *        [--timeout 1800] [--interval 30] [--ignore-name <orchestration>]...
 *   node scripts/deploy/drain-gate.js --base-url <url> --system-key-env <VAR> ...   (no Azure CLI)
 * Exit: 0 drained; 1 still busy when the timeout passed; 2 could not ask.
 */
'use strict';
const { execFileSync } = require('node:child_process');

function parseArgs(argv) {
  const args = { slot: 'production', timeout: 1800, interval: 30, ignoreNames: [], statuses: 'Running,Pending' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const take = () => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === '--resource-group') args.resourceGroup = take();
    else if (flag === '--app') args.app = take();
    else if (flag === '--slot') args.slot = take();
    else if (flag === '--base-url') args.baseUrl = take().replace(/\/+$/, '');
    else if (flag === '--system-key-env') args.systemKeyEnv = take();
    else if (flag === '--timeout') args.timeout = Number(take());
    else if (flag === '--interval') args.interval = Number(take());
    else if (flag === '--ignore-name') args.ignoreNames.push(take());
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.baseUrl && !(args.resourceGroup && args.app)) throw new Error('give --resource-group and --app, or --base-url');
  if (!Number.isFinite(args.timeout) || args.timeout < 0 || !Number.isFinite(args.interval) || args.interval <= 0) {
    throw new Error('--timeout and --interval are seconds');
  }
  return args;
}

function az(args) {
  return execFileSync('az', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function target(args) {
  if (args.baseUrl) {
    const key = args.systemKeyEnv ? process.env[args.systemKeyEnv] : undefined;
    if (args.systemKeyEnv && !key) throw new Error(`${args.systemKeyEnv} is not set`);
    return { baseUrl: args.baseUrl, key };
  }
  const slotArgs = args.slot === 'production' ? [] : ['--slot', args.slot];
  const host = az(['functionapp', 'show', '-g', args.resourceGroup, '-n', args.app, ...slotArgs, '--query', 'defaultHostName', '-o', 'tsv']);
  const key = az(['functionapp', 'keys', 'list', '-g', args.resourceGroup, '-n', args.app, ...slotArgs, '--query', 'systemKeys.durabletask_extension', '-o', 'tsv']);
  if (!key) throw new Error(`no durabletask_extension system key on ${args.app}/${args.slot}`);
  if (process.env.GITHUB_ACTIONS) process.stdout.write(`::add-mask::${key}\n`);
  return { baseUrl: `https://${host}`, key };
}

/** Every Running/Pending orchestration of the slot's hub, following continuation tokens. */
async function inFlight(t, args) {
  const found = [];
  let continuation;
  for (let page = 0; page < 100; page++) {
    const query = new URLSearchParams({ runtimeStatus: args.statuses, top: '100', showInput: 'false' });
    if (t.key) query.set('code', t.key);
    const headers = continuation ? { 'x-ms-continuation-token': continuation } : {};
    const res = await fetch(`${t.baseUrl}/runtime/webhooks/durabletask/instances?${query}`, { headers });
    if (res.status !== 200) throw new Error(`instances query answered HTTP ${res.status}`);
    const body = await res.json();
    if (!Array.isArray(body)) throw new Error('instances query did not answer a JSON array');
    found.push(...body);
    continuation = res.headers.get('x-ms-continuation-token');
    if (!continuation || continuation === 'null') break;
  }
  return found.filter((i) => !String(i.instanceId ?? '').startsWith('@') && !args.ignoreNames.includes(i.name));
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`drain-gate: ${e.message}\n`);
    return 2;
  }
  const deadline = Date.now() + args.timeout * 1000;
  let t;
  try {
    t = target(args);
  } catch (e) {
    process.stderr.write(`drain-gate: ${e.message}\n`);
    return 2;
  }
  for (;;) {
    let busy;
    try {
      busy = await inFlight(t, args);
    } catch (e) {
      process.stderr.write(`drain-gate: ${e.message}\n`);
      return 2;
    }
    if (busy.length === 0) {
      process.stdout.write('drain-gate: no call session is Running or Pending; safe to swap\n');
      return 0;
    }
    const sample = busy.slice(0, 10).map((i) => `${i.name ?? '?'} ${i.instanceId} ${i.runtimeStatus} since ${i.createdTime ?? '?'}`);
    process.stdout.write(`drain-gate: ${busy.length} in flight:\n  ${sample.join('\n  ')}\n`);
    if (Date.now() + args.interval * 1000 > deadline) {
      process.stderr.write(`drain-gate: still ${busy.length} in flight after ${args.timeout}s; not swapping\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, args.interval * 1000));
  }
}

main().then((code) => {
  process.exitCode = code;
});

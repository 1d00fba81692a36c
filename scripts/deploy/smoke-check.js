#!/usr/bin/env node
/* global fetch, setTimeout */
/**
 * Smoke check of one slot, straight at its own host name (not through APIM):
 *   1. GET /health answers 200 {"status":"alive",...} (retried while the slot warms up);
 *   2. the authenticated no-op (default GET /sessions?pageSize=1) answers 401 without a token, so the
 *      slot really checks tokens, and the expected status (default 200) with one.
 * The token is the deploy identity's, from `az account get-access-token --resource <audience>`
 * (the identity needs the support role on the MaxConf API app registration, docs/deploy.md).
 *
 * Usage:
 *   node scripts/deploy/smoke-check.js --base-url https://<app>-staging.azurewebsites.net
 *        [--audience api://...] [--token-env VAR] [--auth-path /sessions?pageSize=1] [--expect 200]
 *        [--health-only] [--attempts 20] [--interval 15]
 * Exit: 0 healthy; 1 not.
 */
'use strict';
const { execFileSync } = require('node:child_process');

function parseArgs(argv) {
  const args = { authPath: '/sessions?pageSize=1', expect: 200, attempts: 20, interval: 15, healthOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const take = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--base-url') args.baseUrl = take().replace(/\/+$/, '');
    else if (flag === '--audience') args.audience = take();
    else if (flag === '--token-env') args.tokenEnv = take();
    else if (flag === '--auth-path') args.authPath = take();
    else if (flag === '--expect') args.expect = Number(take());
    else if (flag === '--attempts') args.attempts = Number(take());
    else if (flag === '--interval') args.interval = Number(take());
    else if (flag === '--health-only') args.healthOnly = true;
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!args.baseUrl) throw new Error('--base-url is required');
  if (!args.healthOnly && !args.audience && !args.tokenEnv) throw new Error('give --audience or --token-env (or --health-only)');
  return args;
}

function token(args) {
  if (args.tokenEnv) {
    const t = process.env[args.tokenEnv];
    if (!t) throw new Error(`${args.tokenEnv} is not set`);
    return t;
  }
  const t = execFileSync('az', ['account', 'get-access-token', '--resource', args.audience, '--query', 'accessToken', '-o', 'tsv'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  if (process.env.GITHUB_ACTIONS) process.stdout.write(`::add-mask::${t}\n`);
  return t;
}

async function health(args) {
  let last = 'no answer';
  for (let attempt = 1; attempt <= args.attempts; attempt++) {
    try {
      const res = await fetch(`${args.baseUrl}/health`);
      const body = await res.json().catch(() => undefined);
      if (res.status === 200 && body && body.status === 'alive') return true;
      last = `HTTP ${res.status} ${JSON.stringify(body)}`;
    } catch (e) {
      last = e.message;
    }
    if (attempt < args.attempts) await new Promise((r) => setTimeout(r, args.interval * 1000));
  }
  process.stderr.write(`smoke-check: /health not alive after ${args.attempts} attempts: ${last}\n`);
  return false;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`smoke-check: ${e.message}\n`);
    return 1;
  }
  if (!(await health(args))) return 1;
  process.stdout.write(`smoke-check: ${args.baseUrl}/health is alive\n`);
  if (args.healthOnly) return 0;
  const url = `${args.baseUrl}${args.authPath}`;
  const anonymous = await fetch(url);
  if (anonymous.status !== 401) {
    process.stderr.write(`smoke-check: ${args.authPath} without a token answered ${anonymous.status}, expected 401\n`);
    return 1;
  }
  let bearer;
  try {
    bearer = token(args);
  } catch (e) {
    process.stderr.write(`smoke-check: ${e.message}\n`);
    return 1;
  }
  const authed = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  if (authed.status !== args.expect) {
    process.stderr.write(`smoke-check: ${args.authPath} with a token answered ${authed.status}, expected ${args.expect}\n`);
    return 1;
  }
  process.stdout.write(`smoke-check: authenticated ${args.authPath} answered ${authed.status}\n`);
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});

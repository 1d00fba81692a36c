#!/usr/bin/env node
/* global URL */
/**
 * Writes, for one environment, the two files deployed beside the built Agent App:
 *   - config.json: the app's settings (apps/agent-app/environments/<env>.json, with the OAuth
 *     client id and the video queue ids taken from the environment when given);
 *   - staticwebapp.config.json: Azure Static Web Apps' headers: a CSP whose frame-ancestors is the
 *     environment's Genesys agent desktop and whose connect-src names exactly the hosts the app
 *     talks to (MaxConf API, conference node, Genesys API and login, the notifications WebSocket),
 *     and a Permissions-Policy that allows the camera only (never the microphone).
 *
 * For the Customer App (`--app customer`): config.json from apps/customer-app/environments/<env>.json,
 * and a CSP that connects only to MaxConf and the conference node and may not be framed by any
 * site (`frame-ancestors 'none'`, plus X-Frame-Options DENY for old browsers); Permissions-Policy
 * allows the camera, the microphone and speaker choice to the page itself.
 *
 * Usage:
 *   node scripts/apps/staticwebapp-config.js --env test --out apps/agent-app/dist
 *   node scripts/apps/staticwebapp-config.js --app customer --env test --out apps/customer-app/dist
 *   [AGENT_APP_OAUTH_CLIENT_ID=...] [AGENT_APP_VIDEO_QUEUE_IDS=id1,id2]
 * Exit: 0 written; 2 bad arguments or settings (the message names the field).
 */
'use strict';
const { readFileSync, writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const APPS = ['agent', 'customer'];
const environmentsOf = (app) => join(__dirname, `../../apps/${app}-app/environments`);

function fail(message) {
  const error = new Error(message);
  error.code = 'BAD_SETTINGS';
  throw error;
}

function originOf(field, value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    fail(`${field}: not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`${field}: must be http(s)`);
  return url.origin;
}

/** The hosts the app reaches in Genesys: a region's API/login/streaming hosts, or a local gateway. */
function genesysSources(genesys) {
  if (genesys.gateway) {
    const { host, protocol, port } = genesys.gateway;
    const authority = port ? `${host}:${port}` : host;
    return { http: [`${protocol}://${authority}`], ws: [`${protocol === 'https' ? 'wss' : 'ws'}://${authority}`] };
  }
  if (typeof genesys.region !== 'string' || !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(genesys.region)) fail('genesys.region: a host name such as cac1.pure.cloud');
  // notification channels answer connectUri wss://streaming.<region>/channels/<id>
  return { http: [`https://api.${genesys.region}`, `https://login.${genesys.region}`], ws: [`wss://streaming.${genesys.region}`] };
}

/** The app's config.json for an environment file and the deploy-time overrides. */
function appConfig(settings, env = {}) {
  const config = JSON.parse(JSON.stringify(settings));
  config.genesys = config.genesys || {};
  if (env.AGENT_APP_OAUTH_CLIENT_ID) config.genesys.oauthClientId = env.AGENT_APP_OAUTH_CLIENT_ID;
  if (env.AGENT_APP_VIDEO_QUEUE_IDS) config.videoQueueIds = env.AGENT_APP_VIDEO_QUEUE_IDS.split(',').map((s) => s.trim()).filter(Boolean);
  if (typeof config.genesys.oauthClientId !== 'string' || config.genesys.oauthClientId.length === 0) fail('genesys.oauthClientId: required (or AGENT_APP_OAUTH_CLIENT_ID)');
  return config;
}

/** staticwebapp.config.json for an app config. */
function staticWebAppConfig(config) {
  const maxconf = originOf('maxconfApiBase', config.maxconfApiBase);
  const node = originOf('conferenceNodeUrl', config.conferenceNodeUrl);
  const parent = originOf('genesys.allowedParentOrigin', config.genesys.allowedParentOrigin);
  const genesys = genesysSources(config.genesys);
  const connect = [...new Set(["'self'", maxconf, node, ...genesys.http, ...genesys.ws])];
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    `connect-src ${connect.join(' ')}`,
    `frame-ancestors ${parent}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  return withHeaders({ 'Content-Security-Policy': csp, 'Permissions-Policy': 'camera=(self), microphone=(), display-capture=(), geolocation=(), payment=(), usb=()' });
}

/** What both apps deploy alike: caching of the settings and the page, and the fallback route. */
function withHeaders(headers) {
  return {
    globalHeaders: {
      ...headers,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
    },
    routes: [
      // settings change per deployment: never cached
      { route: '/config.json', headers: { 'Cache-Control': 'no-store' } },
      { route: '/index.html', headers: { 'Cache-Control': 'no-cache' } },
    ],
    navigationFallback: { rewrite: '/index.html', exclude: ['/assets/*', '/config.json'] },
    mimeTypes: { '.json': 'application/json' },
  };
}

/** staticwebapp.config.json for the Customer App: its own page only, never framed. */
function customerStaticWebAppConfig(config) {
  const maxconf = originOf('maxconfApiBase', config.maxconfApiBase);
  const node = originOf('conferenceNodeUrl', config.conferenceNodeUrl);
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob: mediastream:",
    `connect-src ${[...new Set(["'self'", maxconf, node])].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  return withHeaders({
    'Content-Security-Policy': csp,
    'Permissions-Policy': 'camera=(self), microphone=(self), speaker-selection=(self), display-capture=(), geolocation=(), payment=(), usb=()',
    'X-Frame-Options': 'DENY',
  });
}

function readEnvironment(name, app = 'agent') {
  if (!APPS.includes(app)) fail(`--app: one of ${APPS.join(', ')}`);
  if (!/^[a-z0-9-]+$/.test(name)) fail('--env: letters, digits and dashes');
  const file = join(environmentsOf(app), `${name}.json`);
  if (!existsSync(file)) fail(`--env: no apps/${app}-app/environments/${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

function main(argv, env) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!args.env || !args.out) fail('usage: [--app agent|customer] --env <name> --out <dir>');
  const app = args.app ?? 'agent';
  const settings = readEnvironment(args.env, app);
  const config = app === 'customer' ? settings : appConfig(settings, env);
  const swa = app === 'customer' ? customerStaticWebAppConfig(config) : staticWebAppConfig(config);
  writeFileSync(join(args.out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(args.out, 'staticwebapp.config.json'), `${JSON.stringify(swa, null, 2)}\n`);
  process.stdout.write(`wrote config.json and staticwebapp.config.json for ${args.env} in ${args.out}\n`);
}

module.exports = { appConfig, staticWebAppConfig, customerStaticWebAppConfig, readEnvironment };

if (require.main === module) {
  try {
    main(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}

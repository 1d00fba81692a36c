import { z } from 'zod';

/**
 * Per-environment settings, deployed beside the app as `config.json` (never baked into the
 * bundle), so one build serves Test and Production. Nothing here is secret: an OAuth client id
 * for browser apps is public by design.
 */

const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));

const Gateway = z
  .object({
    host: z.string().min(1),
    protocol: z.enum(['http', 'https']),
    port: z.number().int().min(1).max(65535).optional(),
    /** prefix of the login paths on the gateway, e.g. `login` for `/login/oauth/authorize` */
    pathParamsLogin: z.string().optional(),
  })
  .strict();

export const AgentAppConfig = z
  .object({
    /** a label shown nowhere but in the support detail, e.g. `test` */
    environment: z.string().min(1).max(40),
    /** MaxConf's API base, e.g. `https://api.test.vc.maxconf.ca` */
    maxconfApiBase: httpUrl,
    /** the Pexip conference node, e.g. `https://conference.test.vc.maxconf.ca` */
    conferenceNodeUrl: httpUrl,
    genesys: z
      .object({
        /** the Genesys Cloud region host, e.g. `cac1.pure.cloud` */
        region: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a host name such as cac1.pure.cloud').optional(),
        /** local development only: a gateway serving both the login and API paths */
        gateway: Gateway.optional(),
        oauthClientId: z.string().min(1).max(100),
        /** `pkce` (default, recommended) or `implicit` */
        grant: z.enum(['pkce', 'implicit']).default('pkce'),
        /** the agent desktop's origin, e.g. `https://apps.cac1.pure.cloud`; must match `gcHostOrigin` */
        allowedParentOrigin: z.url().transform((u) => new URL(u).origin),
      })
      .strict()
      .refine((g) => (g.region === undefined) !== (g.gateway === undefined), {
        message: 'set exactly one of region or gateway',
        path: ['region'],
      }),
    /** queues whose calls are video calls; the widget refuses others (empty: no check) */
    videoQueueIds: z.array(z.string().min(1)).default([]),
    /** bandwidth the agent's video may use, kbps */
    bandwidthKbps: z.number().int().min(128).max(6144).default(1264),
  })
  .strict();

export type AgentAppConfig = z.infer<typeof AgentAppConfig>;

export type ConfigResult =
  | { ok: true; config: AgentAppConfig }
  | { ok: false; kind: 'config-missing' | 'config-invalid'; detail: string };

/** Parses an already-fetched `config.json` body (status and text), naming the first wrong field. */
export function parseConfig(status: number, text: string): ConfigResult {
  if (status === 404) return { ok: false, kind: 'config-missing', detail: 'config.json: 404' };
  if (status < 200 || status >= 300) return { ok: false, kind: 'config-missing', detail: `config.json: HTTP ${status}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, kind: 'config-invalid', detail: 'config.json is not JSON' };
  }
  const parsed = AgentAppConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    return { ok: false, kind: 'config-invalid', detail: `config.json: ${field}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, config: parsed.data };
}

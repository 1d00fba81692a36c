import { z } from 'zod';
import { DAYS } from './serviceHours';

/**
 * Per-environment settings, deployed beside the app as `config.json` (never in the bundle), so
 * one build serves Test and Production. Nothing here is secret.
 */

const httpUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const day = z.string().refine((d) => (DAYS as readonly string[]).includes(d.toUpperCase()), 'a day such as MONDAY');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const CustomerAppConfig = z
  .object({
    /** a label shown nowhere but in the support detail, e.g. `test` */
    environment: z.string().min(1).max(40),
    /** MaxConf's API base, e.g. `https://api.test.vc.maxconf.ca` */
    maxconfApiBase: httpUrl,
    /** the Pexip conference node the citizen joins, e.g. `https://conference.test.vc.maxconf.ca` */
    conferenceNodeUrl: httpUrl,
    /** the queue's service hours, as its MaxConf profile has them */
    serviceHours: z
      .object({
        timeZone: z.string().min(1).refine((tz) => {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        }, 'an IANA time zone such as America/Vancouver'),
        regular: z.array(z.object({ startDay: day, endDay: day, startTime: time, endTime: time }).strict()).min(1),
        closedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')).default([]),
      })
      .strict(),
    /** how long the page keeps rejoining after a drop; the session's own grace (profile) decides the outcome */
    reconnectGraceSeconds: z.number().int().min(10).max(600).default(120),
    /** bandwidth the citizen's call may use, kbps */
    bandwidthKbps: z.number().int().min(128).max(6144).default(1264),
    /** where the ended and failure screens send the citizen for help */
    helpUrl: z.url({ protocol: /^https$/ }).optional(),
  })
  .strict();

export type CustomerAppConfig = z.infer<typeof CustomerAppConfig>;

export type ConfigResult = { ok: true; config: CustomerAppConfig } | { ok: false; kind: 'config-missing' | 'config-invalid'; detail: string };

/** Parses an already-fetched `config.json` body (status and text), naming the first wrong field. */
export function parseConfig(status: number, text: string): ConfigResult {
  if (status < 200 || status >= 300) return { ok: false, kind: 'config-missing', detail: `config.json: HTTP ${status}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, kind: 'config-invalid', detail: 'config.json is not JSON' };
  }
  const parsed = CustomerAppConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, kind: 'config-invalid', detail: `config.json: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, config: parsed.data };
}

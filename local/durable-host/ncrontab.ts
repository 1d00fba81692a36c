import { Cron } from 'croner';

/**
 * NCRONTAB schedules as Azure Functions timer triggers read them (the host's NCrontab parser),
 * evaluated by croner: six fields (`second minute hour day month day-of-week`), in UTC
 * (WEBSITE_TIME_ZONE unset). NCrontab differs from common cron in two ways this wrapper keeps:
 * a restricted day-of-month and day-of-week must BOTH match (croner's `domAndDow`), and the
 * Quartz extensions `?`, `L`, `W` and `#` and five-field patterns are refused, so a schedule
 * that would not load on Azure does not load here either.
 */
export interface Schedule {
  /** the first occurrence strictly after `afterMs` */
  next(afterMs: number): number;
}

export class NcrontabError extends Error {}

const NAMES = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)\b/gi;
const QUARTZ_ONLY: [RegExp, string][] = [
  [/\?/, "'?'"],
  [/L/i, "'L' (last)"],
  [/W/i, "'W' (nearest weekday)"],
  [/#/, "'#' (nth weekday)"],
];

export function parseNcrontab(expression: string): Schedule {
  const fields = expression.trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 6) {
    throw new NcrontabError(
      `'${expression}' has ${fields.length} fields; an NCRONTAB schedule has six (second minute hour day month day-of-week)`,
    );
  }
  // month and weekday names may hold an L or W (JUL, WED): they are not the Quartz letters
  const withoutNames = fields.map((f) => f.replace(NAMES, ''));
  for (const [pattern, what] of QUARTZ_ONLY) {
    if (withoutNames.some((f) => pattern.test(f))) throw new NcrontabError(`'${expression}' uses ${what}, which NCRONTAB does not support`);
  }
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), { mode: '6-part', domAndDow: true, timezone: 'Etc/UTC', paused: true });
  } catch (error) {
    throw new NcrontabError(`'${expression}' is not a valid NCRONTAB schedule: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    next(afterMs: number): number {
      const next = cron.nextRun(new Date(afterMs));
      if (!next) throw new NcrontabError(`NCRONTAB schedule '${expression}' never fires`);
      return next.getTime();
    },
  };
}

/**
 * NCRONTAB schedules as Azure Functions timer triggers read them: six fields
 * (`second minute hour day month day-of-week`), evaluated in UTC (WEBSITE_TIME_ZONE unset).
 */
export interface Schedule {
  /** the first occurrence strictly after `afterMs` */
  next(afterMs: number): number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase().slice(0, 3));
    const n = named >= 0 ? named + nameBase : Number(token);
    if (!Number.isInteger(n) || n < min || n > max + (max === 6 ? 1 : 0)) throw new Error(`invalid NCRONTAB value '${token}'`);
    return max === 6 && n === 7 ? 0 : n; // Sunday may be written 7
  };
  for (const part of text.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid NCRONTAB step '${part}'`);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = value(a!);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseNcrontab(expression: string): Schedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`'${expression}' is not an NCRONTAB expression with six fields`);
  const [s, mi, h, d, mo, dw] = fields as [string, string, string, string, string, string];
  const seconds = parseField(s, 0, 59);
  const minutes = parseField(mi, 0, 59);
  const hours = parseField(h, 0, 23);
  const days = parseField(d, 1, 31);
  const months = parseField(mo, 1, 12, MONTHS, 1);
  const weekdays = parseField(dw, 0, 6, DAYS, 0);
  const anyDay = d === '*' || d === '?';
  const anyWeekday = dw === '*' || dw === '?';
  const dayMatches = (t: Date) => {
    const dom = days.has(t.getUTCDate());
    const dow = weekdays.has(t.getUTCDay());
    // cron rule: when both are restricted, either may match
    if (!anyDay && !anyWeekday) return dom || dow;
    return dom && dow;
  };

  return {
    next(afterMs: number): number {
      const t = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
      const limit = afterMs + 5 * 366 * 86400_000;
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        if (!seconds.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
          continue;
        }
        return t.getTime();
      }
      throw new Error(`NCRONTAB expression '${expression}' never fires`);
    },
  };
}

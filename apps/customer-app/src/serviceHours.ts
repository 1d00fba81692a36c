/**
 * Service hours as the queue's profile states them (`{timeZone, regular: [{startDay, endDay,
 * startTime, endTime}]}`, plus dates it is closed), and the one question the page asks: is it
 * open now, and if not, when does it open? Pure: the moment comes in, the time zone is read with
 * `Intl`, so daylight saving time is the browser's tables, not ours.
 */

export interface ServicePeriod {
  startDay: string;
  endDay: string;
  startTime: string;
  endTime: string;
}

export interface ServiceHours {
  timeZone: string;
  regular: ServicePeriod[];
  /** local dates (YYYY-MM-DD) the queue is closed all day, e.g. statutory holidays */
  closedDates?: string[];
}

export type ServiceStatus = { open: true } | { open: false; opensAt: Date | undefined };

export const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

interface LocalTime {
  date: string;
  /** 0 Monday … 6 Sunday */
  weekday: number;
  minutes: number;
}

function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'long', hourCycle: 'h23' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: DAYS.indexOf(get('weekday').toUpperCase() as (typeof DAYS)[number]),
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

function dayInPeriod(weekday: number, period: ServicePeriod): boolean {
  const start = DAYS.indexOf(period.startDay.toUpperCase() as (typeof DAYS)[number]);
  const end = DAYS.indexOf(period.endDay.toUpperCase() as (typeof DAYS)[number]);
  if (start < 0 || end < 0) return false;
  return start <= end ? weekday >= start && weekday <= end : weekday >= start || weekday <= end;
}

function openAt(hours: ServiceHours, local: LocalTime): boolean {
  if (hours.closedDates?.includes(local.date)) return false;
  return hours.regular.some((p) => dayInPeriod(local.weekday, p) && local.minutes >= minutesOf(p.startTime) && local.minutes < minutesOf(p.endTime));
}

/**
 * Open now, or the next opening within two weeks. Walks forward minute-exact from each candidate
 * opening time (a period's start on each coming day), converted from local wall time to an instant.
 */
export function serviceStatus(hours: ServiceHours, now: Date): ServiceStatus {
  if (openAt(hours, localTime(now, hours.timeZone))) return { open: true };
  let best: Date | undefined;
  for (let day = 0; day <= 14 && !best; day += 1) {
    const probe = new Date(now.getTime() + day * 86_400_000);
    const local = localTime(probe, hours.timeZone);
    if (hours.closedDates?.includes(local.date)) continue;
    for (const period of hours.regular) {
      if (!dayInPeriod(local.weekday, period)) continue;
      const opening = instantOf(local.date, minutesOf(period.startTime), hours.timeZone);
      if (opening.getTime() > now.getTime() && (!best || opening < best)) best = opening;
    }
  }
  return { open: false, opensAt: best };
}

/** The instant a local wall time names in a time zone (the zone's offset read at that instant). */
function instantOf(date: string, minutes: number, timeZone: string): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const guess = Date.UTC(y!, mo! - 1, d!, Math.floor(minutes / 60), minutes % 60);
  const offset = (at: number) => {
    const l = localTime(new Date(at), timeZone);
    const [ly, lm, ld] = l.date.split('-').map(Number);
    return Date.UTC(ly!, lm! - 1, ld!, Math.floor(l.minutes / 60), l.minutes % 60) - at;
  };
  const first = guess - offset(guess);
  return new Date(guess - offset(first));
}

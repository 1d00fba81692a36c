import { NcrontabError, parseNcrontab } from '../../local/durable-host/ncrontab';

const at = (text: string): number => Date.parse(text);
const iso = (ms: number): string => new Date(ms).toISOString();

/** the next `n` occurrences after `from`, as ISO text */
function occurrences(expression: string, from: string, n: number): string[] {
  const schedule = parseNcrontab(expression);
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    t = schedule.next(t);
    out.push(iso(t));
  }
  return out;
}

describe('NCRONTAB schedules (timer triggers) as the Functions host reads them', () => {
  it('ANDs a restricted day-of-month with a restricted day-of-week: 0 0 0 13 * 5 fires only on Friday the 13th', () => {
    const fires = occurrences('0 0 0 13 * 5', '2026-01-01T00:00:00Z', 3);
    expect(fires).toEqual(['2026-02-13T00:00:00.000Z', '2026-03-13T00:00:00.000Z', '2026-11-13T00:00:00.000Z']);
    for (const f of fires) expect(new Date(f).getUTCDay()).toBe(5);
  });

  it('reads the first field as seconds and evaluates in UTC', () => {
    expect(occurrences('30 */15 * * * *', '2026-05-05T10:07:00Z', 3)).toEqual([
      '2026-05-05T10:15:30.000Z',
      '2026-05-05T10:30:30.000Z',
      '2026-05-05T10:45:30.000Z',
    ]);
  });

  it('gives the first occurrence strictly after the given moment', () => {
    expect(occurrences('0 0 * * * *', '2026-05-05T10:00:00Z', 1)).toEqual(['2026-05-05T11:00:00.000Z']);
  });

  it('finds the next occurrence across a month end (and skips months without the day)', () => {
    expect(occurrences('0 30 9 * * *', '2026-01-31T10:00:00Z', 1)).toEqual(['2026-02-01T09:30:00.000Z']);
    expect(occurrences('0 0 12 31 * *', '2026-01-31T13:00:00Z', 2)).toEqual(['2026-03-31T12:00:00.000Z', '2026-05-31T12:00:00.000Z']);
  });

  it('accepts month and weekday names, including those spelled with L and W', () => {
    expect(occurrences('0 0 8 * JUL WED', '2026-07-01T09:00:00Z', 1)).toEqual(['2026-07-08T08:00:00.000Z']);
  });

  it.each([
    ['five fields', '0 */5 * * *', /has 5 fields; an NCRONTAB schedule has six/],
    ['seven fields (a year)', '0 0 0 1 1 * 2030', /has 7 fields/],
    ["'?'", '0 0 0 ? * MON', /uses '\?'/],
    ["'L' in the day of month", '0 0 0 L * *', /uses 'L' \(last\)/],
    ["'L' in the day of week", '0 0 0 * * 5L', /uses 'L' \(last\)/],
    ["'W'", '0 0 0 15W * *', /uses 'W' \(nearest weekday\)/],
    ["'#'", '0 0 0 * * 5#3', /uses '#' \(nth weekday\)/],
    ['an out-of-range value', '0 0 25 * * *', /is not a valid NCRONTAB schedule/],
  ])('refuses %s with a clear error', (_what, expression, message) => {
    expect(() => parseNcrontab(expression)).toThrow(NcrontabError);
    expect(() => parseNcrontab(expression)).toThrow(message);
  });
});

describe('a timer trigger with a schedule NCRONTAB refuses', () => {
  it('stops the host from loading the app, naming the function', async () => {
    const { startTestHost } = await import('../support/localHost');
    const { join } = await import('node:path');
    await expect(startTestHost({}, { entry: join(__dirname, 'fixtures', 'quartzTimer') })).rejects.toThrow(
      "Timer trigger 'lastDay': '0 0 0 L * *' uses 'L' (last), which NCRONTAB does not support",
    );
  });
});

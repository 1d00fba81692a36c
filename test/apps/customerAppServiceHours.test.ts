import { serviceStatus, type ServiceHours } from '../../apps/customer-app/src/serviceHours';
import { formatOpening } from '../../apps/customer-app/src/i18n';

// America/Regina keeps UTC−6 all year, so the arithmetic below does not depend on the tz database's
// daylight-saving rules; Toronto checks that those rules are followed.
const WEEKDAYS = [{ startDay: 'MONDAY', endDay: 'FRIDAY', startTime: '07:30', endTime: '17:00' }];
const REGINA: ServiceHours = { timeZone: 'America/Regina', regular: WEEKDAYS };
const TORONTO: ServiceHours = { timeZone: 'America/Toronto', regular: WEEKDAYS };

describe('service hours: open now, or when it opens', () => {
  it('open on a weekday inside the hours (local time)', () => {
    expect(serviceStatus(REGINA, new Date('2026-12-01T16:00:00Z'))).toEqual({ open: true }); // Tue 10:00
  });

  it('after closing on a weekday: opens the next morning at 7:30 local', () => {
    expect(serviceStatus(REGINA, new Date('2026-12-02T00:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-02T13:30:00Z') }); // Tue 18:00
  });

  it('closing time itself is closed; a Friday evening opens on Monday', () => {
    expect(serviceStatus(REGINA, new Date('2026-12-04T23:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-07T13:30:00Z') }); // Fri 17:00
  });

  it('before opening on the same day opens that morning', () => {
    expect(serviceStatus(REGINA, new Date('2026-12-01T12:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-01T13:30:00Z') }); // Tue 6:00
  });

  it('a closed date (holiday) is skipped', () => {
    const hours = { ...REGINA, closedDates: ['2026-12-25'] };
    expect(serviceStatus(hours, new Date('2026-12-25T18:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-28T13:30:00Z') });
  });

  it('follows daylight saving time: 7:30 in Toronto is 11:30 UTC in July, 12:30 UTC in December', () => {
    expect(serviceStatus(TORONTO, new Date('2026-07-04T16:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-07-06T11:30:00Z') }); // Saturday
    expect(serviceStatus(TORONTO, new Date('2026-12-05T16:00:00Z'))).toEqual({ open: false, opensAt: new Date('2026-12-07T12:30:00Z') });
  });

  it('no period at all: closed, opening unknown', () => {
    expect(serviceStatus({ timeZone: 'America/Regina', regular: [] }, new Date('2026-12-01T16:00:00Z'))).toEqual({ open: false, opensAt: undefined });
  });

  it('says the opening in the queue’s time zone, in English and French', () => {
    const at = new Date('2026-12-07T13:30:00Z');
    expect(formatOpening(at, 'en', REGINA.timeZone)).toMatch(/Monday, December 7 at 7:30/);
    expect(formatOpening(at, 'fr', REGINA.timeZone)).toMatch(/lundi 7 décembre.*7 h 30/);
  });
});

// Quota periods of usage plans, in UTC days. Both planes use these, so that GetUsage on the
// control plane and quota enforcement on the workers agree on when a period starts.
//
// A quota's `offset` is the day its period starts, as the service model describes it: a DAY period
// starts every day (offset 0), a WEEK period on Sunday + offset (0–6), a MONTH period on day
// 1 + offset of each month (0–27).
export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';
export type Quota = { limit: number; offset: number; period: QuotaPeriod };

/** The largest offset each period takes. */
export const MAX_QUOTA_OFFSET: Record<QuotaPeriod, number> = { DAY: 0, WEEK: 6, MONTH: 27 };

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant, in UTC. */
export const utcDay = (at: Date = new Date()): string => at.toISOString().slice(0, 10);

const parseDay = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

/** `day` plus `n` days. */
export const addDays = (day: string, n: number): string => utcDay(new Date(parseDay(day).getTime() + n * DAY_MS));

/** The first day of the quota period that holds `day`. */
export function quotaPeriodStart(quota: Pick<Quota, 'period' | 'offset'>, day: string): string {
  const date = parseDay(day);
  switch (quota.period) {
    case 'DAY':
      return day;
    case 'WEEK': {
      const back = (date.getUTCDay() - quota.offset + 7) % 7;
      return addDays(day, -back);
    }
    case 'MONTH': {
      const startDay = 1 + quota.offset;
      let year = date.getUTCFullYear();
      let month = date.getUTCMonth();
      if (date.getUTCDate() < startDay) month -= 1;
      if (month < 0) {
        month = 11;
        year -= 1;
      }
      return utcDay(new Date(Date.UTC(year, month, startDay)));
    }
  }
}

/** The first day after the quota period that starts on `periodStart`. */
export function nextQuotaPeriodStart(quota: Pick<Quota, 'period' | 'offset'>, periodStart: string): string {
  if (quota.period === 'DAY') return addDays(periodStart, 1);
  if (quota.period === 'WEEK') return addDays(periodStart, 7);
  const date = parseDay(periodStart);
  return utcDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())));
}

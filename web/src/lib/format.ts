// Numbers, times and streaks as people read them.

/** "0:45", "12:05", "1:02:03". */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "45 s", "3 min", "1 h 20 min". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** "2 h ago", "yesterday", "in 3 days", in the reader's language. */
export function relativeTime(date: Date | string, now: Date = new Date(), locale = 'en'): string {
  const then = typeof date === 'string' ? new Date(date) : date;
  const seconds = Math.round((then.getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day');
  if (abs < 86400 * 365) return rtf.format(Math.round(seconds / (86400 * 30)), 'month');
  return rtf.format(Math.round(seconds / (86400 * 365)), 'year');
}

/** "80%" or "82.5%" (one decimal only when it says something). */
export function formatPercent(value: number | null | undefined): string {
  if (value == null || Number.isNaN(value)) return '–';
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** The calendar date (YYYY-MM-DD) at `now` in an IANA time zone; UTC when the zone is unknown. */
export function localDate(now: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export type StreakState =
  | { kind: 'none' }
  | { kind: 'safe'; days: number }
  | { kind: 'at_risk'; days: number }
  | { kind: 'lost'; days: 0 };

/**
 * Whether the streak is safe today (a quiz done today), at risk (last quiz yesterday: one today
 * keeps it) or lost, from the last activity date in the learner's own time zone.
 */
export function streakState(current: number, lastActivityDate: string | null, now: Date, timeZone: string): StreakState {
  if (!lastActivityDate || current <= 0) return { kind: 'none' };
  const gap = daysBetween(lastActivityDate, localDate(now, timeZone));
  if (gap <= 0) return { kind: 'safe', days: current };
  if (gap === 1) return { kind: 'at_risk', days: current };
  return { kind: 'lost', days: 0 };
}

/** The reader's first language from an Accept-Language header ("de-CH,de;q=0.9" → "de-CH"); en otherwise. */
export function preferredLocale(acceptLanguage: string | null | undefined): string {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
  if (!first || first === '*') return 'en';
  try {
    return Intl.getCanonicalLocales(first)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/** A date (and time) in the reader's locale and time zone: "6 Dec 2026, 14:05". */
export function formatDateTime(date: string | Date, opts: { locale?: string; timeZone?: string; time?: boolean } = {}): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', ...(opts.time ? { hour: '2-digit', minute: '2-digit' } : {}) };
  try {
    return new Intl.DateTimeFormat(opts.locale ?? 'en', { ...options, timeZone: opts.timeZone }).format(d);
  } catch {
    // An unknown zone (or locale): UTC in the reader's locale, else plain English.
    try {
      return new Intl.DateTimeFormat(opts.locale ?? 'en', { ...options, timeZone: 'UTC' }).format(d);
    } catch {
      return new Intl.DateTimeFormat('en', { ...options, timeZone: 'UTC' }).format(d);
    }
  }
}

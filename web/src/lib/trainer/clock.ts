// The session clock as the learner sees it. The server says how many seconds were left when it
// answered; the page counts down from there on its own monotonic clock, so a wrong clock on the
// learner's device changes nothing. The server enforces the end anyway (410 after a 30 s grace).

/** Seconds left at `now` until `endsAt` (never negative): what the server computes. */
export function remainingSeconds(endsAt: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((Date.parse(endsAt) - now.getTime()) / 1000));
}

/** The local deadline (in the page's monotonic milliseconds) for `remaining` seconds from `nowMs`. */
export function deadlineAt(remaining: number, nowMs: number): number {
  return nowMs + Math.max(0, remaining) * 1000;
}

/** Whole seconds left before `deadline` at `nowMs` (rounded up: 0 only when time is really up). */
export function secondsLeft(deadline: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadline - nowMs) / 1000));
}

export type TimeState = 'plenty' | 'low' | 'up';

/** Under a minute is "low" (the clock turns red and is announced); zero is "up". */
export function timeState(seconds: number): TimeState {
  if (seconds <= 0) return 'up';
  return seconds < 60 ? 'low' : 'plenty';
}

/** "4:05 left", "Time is up". */
export function timeLabel(seconds: number): string {
  if (seconds <= 0) return 'Time is up';
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} left`;
}

/**
 * What a screen reader hears, only when it matters: at each whole minute under five, at 30 s and
 * at the end (announcing every second would drown the conversation).
 */
export function timeAnnouncement(seconds: number): string | null {
  if (seconds <= 0) return 'Time is up. End the session to get your report.';
  if (seconds === 30) return '30 seconds left.';
  if (seconds % 60 === 0 && seconds <= 300) return `${seconds / 60} minute${seconds === 60 ? '' : 's'} left.`;
  return null;
}

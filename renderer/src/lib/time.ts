/** Human times for the outbox, accounts and toasts: "in 12 s", "3 min ago", "at 14:05". */

export function relativeTime(iso: string | null, now: number): string {
  if (!iso) return '';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const diff = Math.round((then - now) / 1000);
  const abs = Math.abs(diff);
  const text =
    abs < 5
      ? null
      : abs < 60
        ? `${abs} s`
        : abs < 3600
          ? `${Math.round(abs / 60)} min`
          : abs < 86_400
            ? `${Math.round(abs / 3600)} h`
            : `${Math.round(abs / 86_400)} d`;
  if (text === null) return 'now';
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** A clock time for today, or a short date otherwise. */
export function clockTime(iso: string | null, now: number): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Whole seconds left until `iso`, never negative. */
export function secondsUntil(iso: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
}

/** A user-facing message for anything a promise rejected with (ApiError carries the host's own words). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : 'unknown error';
}

/** Rejections caused by the connection going away: the status bar reports those, not an error banner. */
export function isConnectionLoss(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'unavailable';
}

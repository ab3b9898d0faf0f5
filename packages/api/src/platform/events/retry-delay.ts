/** Longest wait between two delivery attempts. */
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

/** Delay before attempt `attempts + 1`: the base, doubled for every attempt after the first, capped. */
export function retryDelayMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/**
 * The one retry-with-backoff of the code base: the store's transient refusals (throttling,
 * transaction conflicts, unprocessed batch items) are tried again after an exponentially
 * growing, jittered pause, a bounded number of times.
 */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The pause after the first try; it doubles with each try, up to maxMs. */
  baseMs: number;
  maxMs: number;
}

/** A pause of about base × 2^(attempt-1), at most max, spread by ±50% so that retries of many callers do not line up. */
export const backoffMs = (attempt: number, { baseMs, maxMs }: RetryPolicy) => Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random());

/**
 * Runs `action` until it succeeds. An error `retryable` accepts is tried again within the
 * policy; past the last try `exhausted` says what the caller hears (by default the error itself).
 */
export async function withRetries<T>(
  action: (attempt: number) => Promise<T>,
  policy: RetryPolicy & { retryable: (error: unknown) => boolean; exhausted?: (error: unknown) => Error },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action(attempt);
    } catch (error) {
      if (!policy.retryable(error)) throw error;
      if (attempt >= policy.attempts) throw policy.exhausted ? policy.exhausted(error) : error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, policy)));
    }
  }
}

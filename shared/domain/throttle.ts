import { sha256Hex } from '../auth/tokens';
import { incrementCounters, readCounters } from '../db/throttle';
import { DomainError } from './errors';

/**
 * Brute-force limits: failures counted in fixed 15-minute windows, in the table so that
 * they hold across function instances. Past a limit, the answer is 429 with Retry-After.
 */
export const throttleLimits = {
  windowSeconds: 15 * 60,
  signInFailuresPerIdentifier: 10,
  signInFailuresPerClient: 50,
  codeFailuresPerClient: 20,
} as const;

export interface Counter {
  name: string;
  limit: number;
}

export const counters = {
  signInIdentifier: (identifier: string): Counter => ({ name: `signin-id#${sha256Hex(identifier.trim().toLowerCase())}`, limit: throttleLimits.signInFailuresPerIdentifier }),
  signInClient: (clientIp: string): Counter => ({ name: `signin-ip#${clientIp}`, limit: throttleLimits.signInFailuresPerClient }),
  codeClient: (clientIp: string): Counter => ({ name: `code-ip#${clientIp}`, limit: throttleLimits.codeFailuresPerClient }),
};

const currentWindow = (now = Date.now()) => Math.floor(now / 1000 / throttleLimits.windowSeconds);

/** Refuses with 429 when any of the counters has reached its limit in this window. */
export async function refuseWhenThrottled(list: Counter[]): Promise<void> {
  const window = currentWindow();
  const counts = await readCounters(
    list.map((counter) => counter.name),
    window,
  );
  if (list.some((counter) => (counts.get(counter.name) ?? 0) >= counter.limit)) {
    const retryAfter = (window + 1) * throttleLimits.windowSeconds - Math.floor(Date.now() / 1000);
    throw new DomainError('too_many_attempts', `Too many failed attempts. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
      headers: { 'retry-after': String(Math.max(1, retryAfter)) },
      retryAfterSeconds: Math.max(1, retryAfter),
    });
  }
}

export async function countFailure(list: Counter[]): Promise<void> {
  const window = currentWindow();
  await incrementCounters(
    list.map((counter) => counter.name),
    window,
    (window + 2) * throttleLimits.windowSeconds,
  );
}

import { sha256Hex } from '../auth/tokens';
import { giveBackAttempt, resetCounter, takeAttempt } from '../db/throttle';
import { DomainError } from '../core/errors';

/**
 * Brute-force limits, in the table so that they hold across function instances. An attempt
 * is taken from its counters before anything is checked, and given back when it was no
 * failure, so requests sent at once count one by one. Past a limit: 429 with Retry-After.
 */
export const throttleLimits = {
  windowSeconds: 15 * 60,
  signInFailuresPerIdentifier: 10,
  signInFailuresPerClient: 50,
  /** A device token counts its own failures, so other clients' failures never hold it back. */
  signInFailuresPerDevice: 10,
  /** The hard stop for clients without a device token (NIST SP 800-63B): until a sign-in succeeds or an admin sets a password. */
  consecutiveSignInFailuresPerIdentifier: 100,
  codeFailuresPerClient: 20,
  operatorKeyFailuresPerClient: 20,
} as const;

const consecutiveCounterDays = 30;

export interface Counter {
  name: string;
  limit: number;
  /** `window`: failures in the current fixed window; `consecutive`: failures since the last success. */
  scope: 'window' | 'consecutive';
}

const windowed = (name: string, limit: number): Counter => ({ name, limit, scope: 'window' });
const identifierKey = (identifier: string) => sha256Hex(identifier.trim().toLowerCase());

export const counters = {
  signInIdentifier: (identifier: string) => windowed(`signin-id#${identifierKey(identifier)}`, throttleLimits.signInFailuresPerIdentifier),
  signInConsecutive: (identifier: string): Counter => ({
    name: `signin-seq#${identifierKey(identifier)}`,
    limit: throttleLimits.consecutiveSignInFailuresPerIdentifier,
    scope: 'consecutive',
  }),
  signInClient: (clientIp: string) => windowed(`signin-ip#${clientIp}`, throttleLimits.signInFailuresPerClient),
  signInDevice: (deviceTokenHash: string) => windowed(`signin-dev#${deviceTokenHash}`, throttleLimits.signInFailuresPerDevice),
  codeClient: (clientIp: string) => windowed(`code-ip#${clientIp}`, throttleLimits.codeFailuresPerClient),
  operatorKeyClient: (clientIp: string) => windowed(`operator-ip#${clientIp}`, throttleLimits.operatorKeyFailuresPerClient),
};

/** The signIn counters of an identifier for a client that shows no device token of that user. */
export const unknownClientCounters = (identifier: string, clientIp: string) => [
  counters.signInClient(clientIp),
  counters.signInIdentifier(identifier),
  counters.signInConsecutive(identifier),
];

export interface Attempt {
  counter: Counter;
  window: string;
  taken: boolean;
}

const currentWindow = (now = Date.now()) => Math.floor(now / 1000 / throttleLimits.windowSeconds);

function expiryOf(counter: Counter, window: number): number {
  return counter.scope === 'window' ? (window + 2) * throttleLimits.windowSeconds : Math.floor(Date.now() / 1000) + consecutiveCounterDays * 86_400;
}

/** Takes one attempt from every counter at once; where the store fails, what was taken is given back. */
export async function takeAttempts(list: Counter[]): Promise<Attempt[]> {
  const window = currentWindow();
  const settled = await Promise.allSettled(
    list.map(async (counter): Promise<Attempt> => {
      const windowKey = counter.scope === 'window' ? String(window) : 'SEQ';
      return { counter, window: windowKey, taken: await takeAttempt(counter.name, windowKey, counter.limit, expiryOf(counter, window)) };
    }),
  );
  const attempts = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await giveBack(attempts);
    throw failure.reason;
  }
  return attempts;
}

/** Refuses with 429 when any counter was at its limit; the attempts taken from the others are given back. */
export async function refuseUnlessAllTaken(attempts: Attempt[]): Promise<void> {
  if (attempts.every((attempt) => attempt.taken)) return;
  await giveBack(attempts);
  const retryAfter = Math.max(1, (currentWindow() + 1) * throttleLimits.windowSeconds - Math.floor(Date.now() / 1000));
  throw new DomainError('too_many_attempts', `Too many failed attempts. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
    headers: { 'retry-after': String(retryAfter) },
    retryAfterSeconds: retryAfter,
  });
}

/** The attempts were no failures (or not this request's to count): they are given back. */
export async function giveBack(attempts: Attempt[]): Promise<void> {
  await Promise.all(attempts.filter((attempt) => attempt.taken).map((attempt) => giveBackAttempt(attempt.counter.name, attempt.window)));
}

/** A success gives back its attempts and ends a run of consecutive failures. */
export async function succeeded(attempts: Attempt[]): Promise<void> {
  await Promise.all(
    attempts.map((attempt) =>
      attempt.counter.scope === 'consecutive' ? resetCounter(attempt.counter.name, attempt.window) : attempt.taken ? giveBackAttempt(attempt.counter.name, attempt.window) : undefined,
    ),
  );
}

/** Ends the hard stop on an identifier (an admin set a new password). */
export async function resetConsecutiveFailures(identifier: string): Promise<void> {
  await resetCounter(counters.signInConsecutive(identifier).name, 'SEQ');
}

/**
 * Runs `action` under the counters: refused when one is at its limit; the attempt stays
 * counted only when `isFailure` says the action's error was one.
 */
export async function limited<T>(list: Counter[], action: () => Promise<T>, isFailure: (error: unknown) => boolean): Promise<T> {
  const attempts = await takeAttempts(list);
  await refuseUnlessAllTaken(attempts);
  let result: T;
  try {
    result = await action();
  } catch (error) {
    if (!isFailure(error)) await giveBack(attempts);
    throw error;
  }
  await succeeded(attempts);
  return result;
}

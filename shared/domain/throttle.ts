import { sha256Hex } from '../auth/tokens';
import { giveBackAttempt, resetCounter, takeAttempt } from '../db/throttle';
import { DomainError } from '../core/errors';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';

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
  /** Requests with a malformed, unknown, revoked or wrong API key; a valid key is never held back by them. */
  apiKeyFailuresPerClient: 50,
  /** Wrong current passwords of a password change, per session: an attacker's sign-in failures never block the owner's change. */
  currentPasswordFailuresPerSession: 10,
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

/**
 * The client a counter is about: an IPv4 address, or an IPv6 address's /64 (one subscriber's
 * network, where an attacker can pick any address).
 */
export function clientKey(clientIp: string): string {
  if (!clientIp.includes(':') || /^::ffff:\d/i.test(clientIp)) return clientIp;
  const [head = '', tail = ''] = clientIp.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = clientIp.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = clientIp.includes('::') ? [...headGroups, ...Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export const counters = {
  signInIdentifier: (identifier: string) => windowed(`signin-id#${identifierKey(identifier)}`, throttleLimits.signInFailuresPerIdentifier),
  signInConsecutive: (identifier: string): Counter => ({
    name: `signin-seq#${identifierKey(identifier)}`,
    limit: throttleLimits.consecutiveSignInFailuresPerIdentifier,
    scope: 'consecutive',
  }),
  signInClient: (clientIp: string) => windowed(`signin-ip#${clientKey(clientIp)}`, throttleLimits.signInFailuresPerClient),
  signInDevice: (deviceTokenHash: string) => windowed(`signin-dev#${deviceTokenHash}`, throttleLimits.signInFailuresPerDevice),
  codeClient: (clientIp: string) => windowed(`code-ip#${clientKey(clientIp)}`, throttleLimits.codeFailuresPerClient),
  currentPasswordOfSession: (tokenHash: string) => windowed(`current-pw#${tokenHash}`, throttleLimits.currentPasswordFailuresPerSession),
  operatorKeyClient: (clientIp: string) => windowed(`operator-ip#${clientKey(clientIp)}`, throttleLimits.operatorKeyFailuresPerClient),
  apiKeyClient: (clientIp: string) => windowed(`apikey-ip#${clientKey(clientIp)}`, throttleLimits.apiKeyFailuresPerClient),
};

/**
 * The sign-in counters of an identifier for a client that shows no device token of that user.
 * The hard stop is for uid:domain identifiers, whose admin can lift it by setting a password;
 * a person with an email address has no one to lift it yet, and keeps the per-window limits.
 */
export const unknownClientCounters = (identifier: string, clientIp: string) => [
  counters.signInClient(clientIp),
  counters.signInIdentifier(identifier),
  ...(identifier.includes('@') ? [] : [counters.signInConsecutive(identifier)]),
];

export interface Attempt {
  counter: Counter;
  window: string;
  taken: boolean;
  /** The store's error, where the attempt could not be taken (throttled, say). */
  error?: unknown;
}

const currentWindow = (now = Date.now()) => Math.floor(now / 1000 / throttleLimits.windowSeconds);

/** The counter's item for now: this window's, or the one run of consecutive failures. */
const windowKeyOf = (counter: Counter, window = currentWindow()) => (counter.scope === 'window' ? String(window) : 'SEQ');

function expiryOf(counter: Counter, window: number): number {
  return counter.scope === 'window' ? (window + 2) * throttleLimits.windowSeconds : Math.floor(Date.now() / 1000) + consecutiveCounterDays * 86_400;
}

/**
 * Takes one attempt from every counter at once. Never throws: where the store fails, the
 * attempt says so, and refuseUnlessAllTaken decides only over the counters that count (a
 * throttled counter the request does not need holds nobody back).
 */
export async function takeAttempts(list: Counter[]): Promise<Attempt[]> {
  const window = currentWindow();
  return Promise.all(
    list.map(async (counter): Promise<Attempt> => {
      const windowKey = windowKeyOf(counter, window);
      try {
        return { counter, window: windowKey, taken: await takeAttempt(counter.name, windowKey, counter.limit, expiryOf(counter, window)) };
      } catch (error) {
        return { counter, window: windowKey, taken: false, error };
      }
    }),
  );
}

/**
 * Refuses when any counter was at its limit (429), or could not be counted (the store's
 * error, which answers 503); the attempts taken from the others are given back.
 */
export async function refuseUnlessAllTaken(attempts: Attempt[]): Promise<void> {
  if (attempts.every((attempt) => attempt.taken)) return;
  await giveBack(attempts);
  const failed = attempts.find((attempt) => attempt.error !== undefined);
  if (failed) throw failed.error;
  const retryAfter = Math.max(1, (currentWindow() + 1) * throttleLimits.windowSeconds - Math.floor(Date.now() / 1000));
  const hardStop = attempts.some((attempt) => !attempt.taken && attempt.counter.scope === 'consecutive');
  const detail = hardStop
    ? {
        en: 'Too many failed attempts on this account. Sign in from a device you signed in from before, or ask your admin to set a new password.',
        fr: 'Trop de tentatives échouées sur ce compte. Connectez-vous depuis un appareil déjà utilisé, ou demandez à votre admin un nouveau mot de passe.',
      }
    : { en: `Too many failed attempts. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, fr: `Trop de tentatives échouées. Réessayez dans ${Math.ceil(retryAfter / 60)} minutes.` };
  countMetric(metricNames.throttledAttempts);
  throw new DomainError('too_many_attempts', detail, { headers: { 'retry-after': String(retryAfter) }, retryAfterSeconds: retryAfter });
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

/** Ends the run of consecutive failures of an identifier (its owner signed in). */
export async function resetConsecutiveFailures(identifier: string): Promise<void> {
  const counter = counters.signInConsecutive(identifier);
  await resetCounter(counter.name, windowKeyOf(counter));
}

/** An admin set a new password: the identifier starts afresh, this window's failures and the hard stop alike. */
export async function resetSignInLimits(identifier: string): Promise<void> {
  const thisWindow = counters.signInIdentifier(identifier);
  await Promise.all([resetConsecutiveFailures(identifier), resetCounter(thisWindow.name, windowKeyOf(thisWindow))]);
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

import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { config } from '../config';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Keys whose values never reach a log line, whatever object they sit in. */
const secretKey = /pass(word)?|token|secret|(access|reset)_?code|codeHash|ciphertext|authorization|cookie|operator_?key|credential/i;

/**
 * Powertools serializes every line with JSON.stringify and this replacer, which it calls for
 * every key at every depth: message fields, keys of the invocation, an error's own properties
 * and its cause alike. So no path to a line skips it.
 */
export const redactSecrets = (key: string, value: unknown): unknown => (key !== '' && secretKey.test(key) ? '[redacted]' : value);

const logger = new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME, logLevel: config.LOG_LEVEL.toUpperCase() as Uppercase<typeof config.LOG_LEVEL>, jsonReplacerFn: redactSecrets });

/**
 * The keys of the invocation running now (requestId, tenantId, userId, a job's id), on every
 * line it logs. Held per asynchronous context rather than in the Logger's appended keys: the
 * local gateway runs requests of one function at once in one process, and a key appended by
 * one would show on the lines of another. A line logged outside an invocation carries none,
 * so a warm instance's next invocation never inherits the previous tenant.
 */
const invocationKeys = new AsyncLocalStorage<Record<string, unknown>>();

export function withLogKeys<T>(keys: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  return invocationKeys.run({ ...keys }, run);
}

/** Adds keys to the running invocation's lines from now on (the tenant once it is known). */
export function appendLogKeys(keys: Record<string, unknown>): void {
  const current = invocationKeys.getStore();
  if (current) Object.assign(current, keys);
}

export const currentLogKeys = (): Readonly<Record<string, unknown>> => invocationKeys.getStore() ?? {};

/** Structured JSON logs (Powertools Logger), one line each. Callers pass facts, never request bodies or headers. */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  logger[level](message, { ...invocationKeys.getStore(), ...fields });
}

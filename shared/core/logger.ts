import { config } from '../config';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Keys whose values never reach a log line, whatever object they sit in. */
const secretKey = /pass(word)?|token|secret|(access|reset)_?code|codeHash|ciphertext|authorization|cookie|operator_?key|credential/i;

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, secretKey.test(key) ? '[redacted]' : redact(inner, depth + 1)]),
  );
}

/** Structured JSON logs, one line each. Callers pass facts, never request bodies or headers. */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < order[config.LOG_LEVEL]) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...(redact(fields) as object) });
  process.stdout.write(`${line}\n`);
}

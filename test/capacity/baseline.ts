import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Invocation, Trace } from './model/types';

/** The traces of an earlier layout, kept with the code: test/capacity/baseline/<layout>-<scenario>.json.gz. */
export const baselineDirectory = join(__dirname, 'baseline');
export const baselineLayout = 'v1';

export const baselineFile = (layout: string, scenario: string) => join(baselineDirectory, `${layout}-${scenario}.json.gz`);

/**
 * Keys longer than this are stored as their prefix (up to the last '#') and 12 characters of
 * their SHA-256: the model needs only which requests share a key, and 50,000 access-code
 * hashes would otherwise be most of the file. Two keys sharing a short form by chance is a
 * 1 in 2^72 event.
 */
const longKey = 24;

export function shortKey(pk: string): string {
  if (pk.length <= longKey) return pk;
  const prefix = pk.slice(0, pk.lastIndexOf('#') + 1);
  return `${prefix}${createHash('sha256').update(pk).digest('base64url').slice(0, 12)}`;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The trace as stored: long keys shortened, times to 0.01 ms. */
export function compact(trace: Trace): Trace {
  const invocation = (entry: Invocation): Invocation => ({
    ...entry,
    startMs: round(entry.startMs),
    durationMs: round(entry.durationMs),
    requests: entry.requests.map((request) => ({
      op: request.op,
      sentMs: round(request.sentMs),
      answeredMs: round(request.answeredMs),
      accesses: request.accesses.map((access) => ({ ...access, pk: shortKey(access.pk) })),
    })),
  });
  return { ...trace, invocations: trace.invocations.map(invocation) };
}

export function writeBaseline(trace: Trace): { file: string; bytes: number } {
  mkdirSync(baselineDirectory, { recursive: true });
  const file = baselineFile(trace.layout, trace.scenario);
  const bytes = gzipSync(JSON.stringify(compact(trace)), { level: 9 });
  writeFileSync(file, bytes);
  return { file, bytes: bytes.length };
}

export function readBaseline(layout: string, scenario: string): Trace | undefined {
  const file = baselineFile(layout, scenario);
  if (!existsSync(file)) return undefined;
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
}

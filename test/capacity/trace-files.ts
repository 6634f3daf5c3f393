import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Access, Invocation } from './model/types';

/** The lines shared/db/trace.ts and trace-middleware.ts append, one JSON object each. */
type Line =
  | { t: 'start'; id: string; fn: string; atMs: number }
  | { t: 'end'; id: string; atMs: number; durationMs: number }
  | { t: 'request'; id: string; op: string; sentMs: number; answeredMs: number; accesses: Access[]; failed?: string; recorderError?: string };

export function readTraceLines(directory: string): Line[] {
  const lines: Line[] = [];
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.jsonl'))) {
    for (const text of readFileSync(join(directory, file), 'utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Line);
  }
  return lines;
}

/** Empties the trace directory: what follows is one scenario's. */
export function clearTraceDirectory(directory: string): void {
  for (const file of readdirSync(directory)) rmSync(join(directory, file), { force: true });
}

/** Invocations that started but have not ended yet. */
export function openInvocations(directory: string): number {
  const open = new Set<string>();
  for (const line of readTraceLines(directory)) {
    if (line.t === 'start') open.add(line.id);
    else if (line.t === 'end') open.delete(line.id);
  }
  return open.size;
}

export interface Collected {
  invocations: Invocation[];
  /** Requests the recorder could not measure (its own failures), which a trace should have none of. */
  recorderErrors: string[];
}

/**
 * The invocations that started at or after `sinceMs` (absolute epoch ms) and ended, with
 * times made relative: an invocation's start to `sinceMs`, its requests to its start.
 * Invocations of functions in `excluded` (the scenario's own polling) are left out.
 */
export function collectInvocations(directory: string, sinceMs: number, excluded: readonly string[] = []): Collected {
  const lines = readTraceLines(directory);
  const started = new Map<string, { fn: string; atMs: number }>();
  const ended = new Map<string, number>();
  const requests = new Map<string, Extract<Line, { t: 'request' }>[]>();
  const recorderErrors: string[] = [];
  for (const line of lines) {
    if (line.t === 'start') started.set(line.id, { fn: line.fn, atMs: line.atMs });
    else if (line.t === 'end') ended.set(line.id, line.durationMs);
    else requests.set(line.id, [...(requests.get(line.id) ?? []), line]);
  }
  const invocations: Invocation[] = [];
  for (const [id, start] of started) {
    const durationMs = ended.get(id);
    if (start.atMs < sinceMs || durationMs === undefined || excluded.includes(start.fn)) continue;
    const own = (requests.get(id) ?? []).sort((a, b) => a.sentMs - b.sentMs);
    for (const request of own) if (request.recorderError) recorderErrors.push(`${start.fn} ${request.op}: ${request.recorderError}`);
    invocations.push({
      id,
      fn: start.fn,
      startMs: start.atMs - sinceMs,
      durationMs,
      requests: own.map((request) => ({ op: request.op, sentMs: request.sentMs - start.atMs, answeredMs: request.answeredMs - start.atMs, accesses: request.accesses })),
    });
  }
  invocations.sort((a, b) => a.startMs - b.startMs);
  return { invocations, recorderErrors };
}

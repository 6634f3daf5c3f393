import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../config';

/**
 * The DynamoDB request trace of local capacity runs (`npm run capacity`): with
 * DYNAMODB_TRACE_DIR set, each invocation's start and end and each DynamoDB request it
 * sends become one JSON line in <dir>/<pid>.jsonl (trace-middleware.ts writes the requests).
 * Unset (always on AWS), nothing here runs but one check per invocation. The local gateway
 * loads every function bundle into one process, each with its own copy of this module: lines
 * are appended synchronously, whole, so copies never interleave within a line.
 */
export const traceDirectory = config.DYNAMODB_TRACE_DIR;
if (traceDirectory) mkdirSync(traceDirectory, { recursive: true });

export interface TracedInvocation {
  /** Unique across the processes of one run: the Lambda request id, prefixed with the process id. */
  id: string;
  fn: string;
}

const current = new AsyncLocalStorage<TracedInvocation>();

/** The invocation whose code is running now, when tracing. */
export const tracedInvocation = (): TracedInvocation | undefined => (traceDirectory ? current.getStore() : undefined);

/** Absolute epoch milliseconds, finer than Date.now(). */
export const epochMs = () => performance.timeOrigin + performance.now();

export function writeTraceLine(line: Record<string, unknown>): void {
  if (!traceDirectory) return;
  appendFileSync(join(traceDirectory, `${process.pid}.jsonl`), `${JSON.stringify(line)}\n`);
}

/**
 * Runs one invocation, and when tracing marks its start and end and lets the DynamoDB
 * requests it sends name it (from the Lambda context, as on AWS).
 */
export async function traceInvocation<T>(context: { awsRequestId?: string; functionName?: string } | undefined, run: () => Promise<T>): Promise<T> {
  if (!traceDirectory) return run();
  const invocation = { id: `${process.pid}:${context?.awsRequestId ?? 'unknown'}`, fn: context?.functionName ?? 'unknown' };
  const startMs = epochMs();
  writeTraceLine({ t: 'start', ...invocation, atMs: startMs });
  try {
    return await current.run(invocation, run);
  } finally {
    const endMs = epochMs();
    writeTraceLine({ t: 'end', id: invocation.id, atMs: endMs, durationMs: endMs - startMs });
  }
}

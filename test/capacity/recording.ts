import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { clearTraceDirectory, collectInvocations, openInvocations } from './trace-files';
import type { Invocation } from './model/types';

/** The bcrypt cost the CDK stack configures on AWS (BCRYPT_COST=11), as the bench uses: sign-in gaps hold its CPU time. */
export const productionBcryptCost = 11;

export interface Api {
  (method: string, path: string, options?: { token?: string; body?: unknown; operator?: boolean; from?: string }): Promise<{ status: number; body: Record<string, unknown> }>;
}

export interface RecordingStack {
  stack: LocalStack;
  traceDirectory: string;
  api: Api;
  /**
   * Runs `scenario` and answers the invocations it caused: the trace directory is emptied
   * first, only invocations that started after that count, and it waits until every one has
   * ended (the workers included) and nothing new started for `quietMs`.
   */
  record(scenario: () => Promise<void>, options?: { excluded?: readonly string[]; quietMs?: number; timeoutMs?: number }): Promise<Invocation[]>;
  stop(): Promise<void>;
}

/**
 * The local stack with tracing on: DYNAMODB_TRACE_DIR is in this process's environment before
 * the stack starts, so the gateway's handlers (loaded here) and the worker processes (which
 * inherit the environment) all trace. Keys stay in memory; ports are free ones.
 */
export async function startRecordingStack(options: { bcryptCost?: number; traceDirectory?: string } = {}): Promise<RecordingStack> {
  const traceDirectory = options.traceDirectory ?? mkdtempSync(join(tmpdir(), 'emailless-trace-'));
  process.env.DYNAMODB_TRACE_DIR = traceDirectory;
  const operatorKey = randomBytes(16).toString('hex');
  const stack = await startLocalStack({
    port: 0,
    operatorKey,
    codeKey: randomBytes(32).toString('base64url'),
    bcryptCost: options.bcryptCost ?? productionBcryptCost,
    logLevel: process.env.CAPACITY_LOG_LEVEL ?? 'warn',
  });
  const api: Api = (method, path, callOptions = {}) => {
    const payload = callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body);
    const url = new URL(path, stack.url);
    const headers = {
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(callOptions.token ? { authorization: `Bearer ${callOptions.token}` } : {}),
      ...(callOptions.operator ? { 'x-operator-key': operatorKey } : {}),
    };
    return new Promise((resolve, reject) => {
      // From a loopback address of the caller's choosing: per-client counters then belong to that client, as they would on AWS.
      const request = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers, agent: false, ...(callOptions.from ? { localAddress: callOptions.from } : {}) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const body = (text && /json/.test(response.headers['content-type'] ?? '') ? JSON.parse(text) : {}) as Record<string, unknown>;
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(payload);
    });
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    stack,
    traceDirectory,
    api,
    async record(scenario, recordOptions = {}) {
      const quietMs = recordOptions.quietMs ?? 300;
      const deadline = Date.now() + (recordOptions.timeoutMs ?? 900_000);
      clearTraceDirectory(traceDirectory);
      const sinceMs = performance.timeOrigin + performance.now();
      await scenario();
      // The workers may still be finishing (an audit entry after the status): wait for every end line, then a quiet moment.
      for (;;) {
        while (openInvocations(traceDirectory) > 0) {
          if (Date.now() > deadline) throw new Error(`${openInvocations(traceDirectory)} invocations did not end`);
          await pause(100);
        }
        await pause(quietMs);
        if (openInvocations(traceDirectory) === 0) break;
      }
      const { invocations, recorderErrors } = collectInvocations(traceDirectory, sinceMs, recordOptions.excluded);
      if (recorderErrors.length > 0) throw new Error(`the recorder failed on ${recorderErrors.length} requests, first: ${recorderErrors[0]}`);
      return invocations;
    },
    stop: () => stack.stop(),
  };
}

/** A request that must succeed: its body, or an error naming what answered. */
export async function expectStatus(answer: Promise<{ status: number; body: Record<string, unknown> }>, status: number, what: string): Promise<Record<string, unknown>> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: ${got} ${JSON.stringify(body)}`);
  return body;
}

import { spawn } from 'node:child_process';
import { lambdaContext, type LambdaHandler } from './gateway';

export interface AsyncInvokeOptions {
  /** Lambda retries a failed asynchronous invocation twice. */
  retries: number;
  retryDelayMs: number;
  /** What Lambda does after the last retry: hand the invocation to the failure destination. */
  onGiveUp: (error: unknown, name: string, event: unknown) => void;
}

/**
 * Runs a handler the way Lambda runs an asynchronous invocation (an S3 notification, an
 * InvocationType "Event" call): the caller does not wait, and a failure is retried.
 */
export function invokeAsync(name: string, handler: LambdaHandler, event: unknown, options: AsyncInvokeOptions, timeoutMs: number): void {
  const attempt = async (remaining: number): Promise<void> => {
    try {
      await handler(event, lambdaContext(name, timeoutMs));
    } catch (error) {
      process.stderr.write(`local lambda ${name} failed: ${(error as Error).name}: ${(error as Error).message}\n`);
      if (remaining <= 0) return options.onGiveUp(error, name, event);
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
      return attempt(remaining - 1);
    }
  };
  void attempt(options.retries);
}

export interface ProcessReport {
  peakRssMb: number;
  durationMs: number;
  ok: boolean;
}

const runner = `
const fs = require('node:fs');
const started = Date.now();
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  let ok = true;
  try {
    await require(process.argv[1]).handler(JSON.parse(input), { getRemainingTimeInMillis: () => Number(process.argv[2]) - (Date.now() - started), functionName: process.argv[3], awsRequestId: 'local' });
  } catch (error) {
    ok = false;
    process.stderr.write(String(error && error.stack) + '\\n');
  }
  const peak = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write('\\n' + JSON.stringify({ peakRssMb: peak ? Number(peak[1]) / 1024 : -1, durationMs: Date.now() - started, ok }) + '\\n');
  process.exitCode = ok ? 0 : 1;
});
`;

/**
 * A handler that runs each invocation in a fresh Node.js process, as a Lambda instance has
 * its own memory: used where a function's own peak memory is measured (the benchmark).
 */
export function handlerInOwnProcess(
  name: string,
  bundleFile: string,
  timeoutMs: number,
  onReport: (name: string, report: ProcessReport) => void,
  nodeFlags: readonly string[] = [],
): LambdaHandler {
  return (event) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeFlags, '-e', runner, bundleFile, String(timeoutMs), name], { stdio: ['pipe', 'pipe', 'inherit'], env: process.env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => {
        const last = output.trim().split('\n').pop() ?? '{}';
        try {
          onReport(name, JSON.parse(last) as ProcessReport);
        } catch {
          // no report: the process died before writing one
        }
        if (code === 0) resolve(undefined);
        else reject(new Error(`${name} exited with ${code}`));
      });
      child.stdin.end(JSON.stringify(event));
    });
}

import { lambdaContext, type LambdaHandler } from './gateway';

export interface AsyncInvokeOptions {
  /** Lambda retries a failed asynchronous invocation twice. */
  retries: number;
  retryDelayMs: number;
  onGiveUp: (error: unknown) => void;
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
      if (remaining <= 0) return options.onGiveUp(error);
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
      return attempt(remaining - 1);
    }
  };
  void attempt(options.retries);
}

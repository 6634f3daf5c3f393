import { workers } from '../workers';
import { lambdaContext, type LambdaHandler } from './gateway';

/**
 * What Lambda does once it has given up on an asynchronous invocation: it sends the
 * failure destination (the markFailedJob worker, as the CDK stack wires it) a record with
 * the original event and the last error. `handlers` is read when that happens, so the
 * stack may load its handlers after wiring this.
 */
export function failureDestination(handlers: () => Map<string, LambdaHandler>) {
  return (error: unknown, name: string, event: unknown): void => {
    process.stderr.write(`local lambda ${name} gave up after retries; handing it to the failure destination: ${String(error)}\n`);
    const { handler, timeoutSeconds } = workers.markFailedJob;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { functionArn: `arn:aws:lambda:local:000000000000:function:${name}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: (error as Error | undefined)?.name ?? 'Error', errorMessage: (error as Error | undefined)?.message ?? String(error) },
    };
    handlers()
      .get(handler)?.(record, lambdaContext('markFailedJob', timeoutSeconds * 1000))
      .catch((failure: unknown) => process.stderr.write(`local failure destination failed (on AWS: the failed-invocations queue): ${String(failure)}\n`));
  };
}

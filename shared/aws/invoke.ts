import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { config } from '../config';
import { traced } from './tracing';

// Made on first use, so that a bundle that imports this module without starting a worker
// (GET /v1/admin/exports/{id} shares a domain module with POST) leaves the Lambda client out.
let lambda: LambdaClient | undefined;
const lambdaClient = () => (lambda ??= traced(new LambdaClient({ ...(config.LAMBDA_ENDPOINT ? { endpoint: config.LAMBDA_ENDPOINT } : {}) })));

/** Starts a worker without waiting for it (Lambda's "Event" invocation: queued, retried twice on failure). */
export async function invokeInBackground(functionName: string, payload: unknown): Promise<void> {
  await lambdaClient().send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
}

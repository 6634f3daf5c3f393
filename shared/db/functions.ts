import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { config } from '../config';

const lambda = new LambdaClient({ ...(config.LAMBDA_ENDPOINT ? { endpoint: config.LAMBDA_ENDPOINT } : {}) });

/** Starts a worker without waiting for it (Lambda's "Event" invocation: queued, retried twice on failure). */
export async function invokeInBackground(functionName: string, payload: unknown): Promise<void> {
  await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { traced } from '../aws/tracing';
import { faultsEnabled, injectedDynamoDbAnswer, injectedDynamoDbFailure } from '../faults';
import { traceDirectory } from './trace';
import { traceRequests } from './trace-middleware';

const clientConfig = { ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}), maxAttempts: 4 };
const client = traced(new DynamoDBClient(clientConfig));

// Local capacity runs only (DYNAMODB_TRACE_DIR): records every request's keys and units.
if (traceDirectory) traceRequests(client, clientConfig);

if (faultsEnabled) {
  // Answers instead of a call: before the document client marshals, so they are plain JavaScript.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const answer = injectedDynamoDbAnswer(context.commandName ?? '', args.input as Record<string, unknown>);
      return answer ? { output: answer as never, response: {} } : next(args);
    },
    { step: 'initialize', name: 'injectFaultAnswers' },
  );
  // Failures: inside the retry step, so that the SDK retries injected failures as it would real ones.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const failure = injectedDynamoDbFailure(context.commandName ?? '', args.input as Record<string, unknown>);
      if (failure) throw failure;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'injectFaults' },
  );
}

/** The one document client, made once per function instance. */
export const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = config.TABLE_NAME;

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { faultsEnabled, injectedDynamoDbFault } from '../faults';

const client = new DynamoDBClient({ ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}), maxAttempts: 4 });

if (faultsEnabled) {
  // Inside the retry step, so that the SDK retries injected failures as it would real ones.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fault = injectedDynamoDbFault(context.commandName ?? '', args.input as Record<string, unknown>);
      if (fault && 'error' in fault) throw fault.error;
      if (fault) return { output: fault.output as never, response: {} };
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'injectFaults' },
  );
}

/** The one document client, made once per function instance. */
export const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = config.TABLE_NAME;

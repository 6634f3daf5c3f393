import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { faultsEnabled, injectedDynamoDbFailure } from '../faults';

const client = new DynamoDBClient({ ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}), maxAttempts: 4 });

if (faultsEnabled) {
  // Before the retry step, so that the SDK retries injected failures as it would real ones.
  client.middlewareStack.add(
    (next) => async (args) => {
      const failure = injectedDynamoDbFailure(args.input);
      if (failure) throw failure;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'injectFaults' },
  );
}

/** The one document client, made once per function instance. */
export const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const tableName = config.TABLE_NAME;

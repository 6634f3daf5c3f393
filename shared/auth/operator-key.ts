import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from '../config';
import { secretsEqual } from './tokens';

let operatorKey: Promise<string> | undefined;

/** The operator key: from the environment locally, from Secrets Manager on AWS (read once per instance). */
function loadOperatorKey(): Promise<string> {
  if (config.OPERATOR_KEY) return Promise.resolve(config.OPERATOR_KEY);
  const secretId = config.OPERATOR_KEY_SECRET_ARN;
  if (!secretId) return Promise.reject(new Error('Neither OPERATOR_KEY nor OPERATOR_KEY_SECRET_ARN is configured'));
  return new SecretsManagerClient({})
    .send(new GetSecretValueCommand({ SecretId: secretId }))
    .then((secret) => {
      if (!secret.SecretString) throw new Error('The operator key secret is empty');
      return secret.SecretString;
    });
}

export async function isOperatorKey(given: string | undefined): Promise<boolean> {
  operatorKey ??= loadOperatorKey().catch((error: unknown) => {
    operatorKey = undefined;
    throw error;
  });
  return given !== undefined && given.length > 0 && secretsEqual(given, await operatorKey);
}

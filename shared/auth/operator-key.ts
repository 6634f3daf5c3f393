import { config } from '../config';
import { secretValue } from '../aws/secrets';
import { secretsEqual } from './tokens';

export async function isOperatorKey(given: string | undefined): Promise<boolean> {
  if (given === undefined || given.length === 0) return false;
  return secretsEqual(given, await secretValue('the operator key', config.OPERATOR_KEY, config.OPERATOR_KEY_SECRET_ARN));
}

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const cache = new Map<string, Promise<string>>();

/**
 * A secret's value: given directly (local stack) or read once per instance from Secrets
 * Manager (AWS). A failed read is not cached, so the next request tries again.
 */
export function secretValue(name: string, direct: string | undefined, secretArn: string | undefined): Promise<string> {
  if (direct) return Promise.resolve(direct);
  if (!secretArn) return Promise.reject(new Error(`${name} is not configured`));
  let value = cache.get(secretArn);
  if (!value) {
    value = new SecretsManagerClient({})
      .send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then((secret) => {
        if (!secret.SecretString) throw new Error(`${name} is empty`);
        return secret.SecretString;
      });
    value.catch(() => cache.delete(secretArn));
    cache.set(secretArn, value);
  }
  return value;
}

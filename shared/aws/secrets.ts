import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from './tracing';

/** A secret as it stands during a rotation: the value now in force and, for a while, the one before. */
export interface SecretVersions {
  current: string;
  previous?: string;
}

/**
 * How long an instance keeps a secret it has read. Bounded, so that a rotated operator key
 * stops working within minutes rather than for the life of a warm instance.
 */
export const secretCacheMs = 5 * 60_000;

const cache = new Map<string, { readAt: number; versions: Promise<SecretVersions> }>();
let client: SecretsManagerClient | undefined;

async function readStage(secretArn: string, stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> {
  client ??= traced(new SecretsManagerClient({}));
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage }));
    return secret.SecretString || undefined;
  } catch (error) {
    // A secret that was never rotated has no AWSPREVIOUS version.
    if (stage === 'AWSPREVIOUS' && (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * A secret's current and previous values: given directly (local stack) or read from Secrets
 * Manager (AWS) and kept for secretCacheMs. A failed read is not kept, so the next request
 * tries again.
 */
export function secretVersions(name: string, direct: { current?: string; previous?: string }, secretArn: string | undefined): Promise<SecretVersions> {
  if (direct.current) return Promise.resolve({ current: direct.current, ...(direct.previous ? { previous: direct.previous } : {}) });
  if (!secretArn) return Promise.reject(new Error(`${name} is not configured`));
  const kept = cache.get(secretArn);
  if (kept && Date.now() - kept.readAt < secretCacheMs) return kept.versions;
  const versions = Promise.all([readStage(secretArn, 'AWSCURRENT'), readStage(secretArn, 'AWSPREVIOUS')]).then(([current, previous]) => {
    if (!current) throw new Error(`${name} is empty`);
    return { current, ...(previous ? { previous } : {}) };
  });
  versions.catch(() => cache.delete(secretArn));
  cache.set(secretArn, { readAt: Date.now(), versions });
  return versions;
}

/** The value in force now (the operator key: a rotated-out key is refused once the cache turns over). */
export async function secretValue(name: string, direct: string | undefined, secretArn: string | undefined): Promise<string> {
  return (await secretVersions(name, { current: direct }, secretArn)).current;
}

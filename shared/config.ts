import * as z from 'zod';

/**
 * The environment, read and checked once when a function starts. A missing or bad value
 * fails the cold start instead of a request. No other module reads process.env.
 */
const Environment = z.object({
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1).default('emailless-files'),
  /** Local stack only: DynamoDB Local's and s3rver's addresses. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  /** The operator key itself (local) or the Secrets Manager secret that holds it (AWS). */
  OPERATOR_KEY: z.string().min(16).optional(),
  OPERATOR_KEY_SECRET_ARN: z.string().min(1).optional(),
  /** The key that encrypts access codes at rest: itself (local) or its secret (AWS). */
  CODE_KEY: z.string().min(16).optional(),
  CODE_KEY_SECRET_ARN: z.string().min(1).optional(),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(11),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(60 * 24 * 30).default(12 * 60),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

function readEnvironment() {
  const parsed = Environment.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Bad configuration: ${fields}`);
  }
  return parsed.data;
}

export const config = readEnvironment();
export type Config = typeof config;

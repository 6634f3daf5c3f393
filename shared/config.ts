import * as z from 'zod';

const logLevel = z
  .string()
  .transform((level) => level.toLowerCase())
  .pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent']));

/**
 * The environment, read and checked once when a function starts. A missing or bad value
 * fails the cold start instead of a request. No other module reads process.env.
 */
const Environment = z.object({
  /**
   * The stack binds the real name to every function that touches the table; functions that
   * do not (the web pages, the OpenAPI document) get none and must still start.
   */
  TABLE_NAME: z.string().min(1).default('emailless'),
  BUCKET_NAME: z.string().min(1).default('emailless-files'),
  /** Local stack only: DynamoDB Local's and s3rver's addresses. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  /**
   * Where browsers PUT presigned uploads (the files bucket's origin on AWS); the admin page
   * allows it in its Content-Security-Policy. Locally the origin of S3_ENDPOINT serves.
   */
  UPLOAD_ORIGIN: z.url().optional(),
  /** The operator key itself (local) or the Secrets Manager secret that holds it (AWS). */
  OPERATOR_KEY: z.string().min(16).optional(),
  OPERATOR_KEY_SECRET_ARN: z.string().min(1).optional(),
  /** The key that encrypts access codes at rest: itself (local) or its secret (AWS). */
  CODE_KEY: z.string().min(16).optional(),
  /** Local stack only: the code key before a rotation, which still opens codes sealed with it (on AWS: the secret's AWSPREVIOUS). */
  CODE_KEY_PREVIOUS: z.string().min(16).optional(),
  CODE_KEY_SECRET_ARN: z.string().min(1).optional(),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(11),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(60 * 24 * 30).default(12 * 60),
  /** An import whose worker has not written progress for this long is taken over by the next event. */
  IMPORT_STALE_SECONDS: z.coerce.number().int().min(1).max(900).default(30),
  /** The export worker, invoked asynchronously; LAMBDA_ENDPOINT is the local stack's stand-in for Lambda. */
  EXPORT_FUNCTION_NAME: z.string().min(1).default('export-invitations'),
  /** The letters worker, invoked the same way. */
  LETTERS_FUNCTION_NAME: z.string().min(1).default('print-letters'),
  /** The worker that sweeps a deleted organisation away, invoked the same way. */
  TENANT_SWEEP_FUNCTION_NAME: z.string().min(1).default('sweep-tenant'),
  /**
   * The sweep's pause between its two passes: longer than any request runs (API Gateway stops
   * one at 30 s), so the second pass finds what requests in flight wrote. The test stack lowers it.
   */
  TENANT_SWEEP_SETTLE_SECONDS: z.coerce.number().int().min(0).max(300).default(35),
  /**
   * The address people open: letters print <PUBLIC_URL>/sign-up and its QR codes. On AWS the
   * stack's API URL or a custom domain (cdk -c publicUrl=…); locally the gateway's URL.
   */
  PUBLIC_URL: z.url().default('http://localhost:3000').transform((url) => url.replace(/\/+$/, '')),
  /** Letters a run prints at most (50,000; the local test stack lowers it to test the limit). */
  LETTERS_MAX_PER_RUN: z.coerce.number().int().min(1).max(50_000).default(50_000),
  /** Requests an API key may make a minute (600; the local test stack lowers it to test the limit). */
  API_KEY_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  LAMBDA_ENDPOINT: z.url().optional(),
  /** Local test stack only: lets tests inject faults (DynamoDB errors, a crashing import). Never set on AWS. */
  FAULT_INJECTION: z.enum(['on', 'off']).default('off'),
  /**
   * The functions' log level: POWERTOOLS_LOG_LEVEL (the name the stack sets) or LOG_LEVEL
   * (the local stack and the tests), in either case; `silent` logs nothing.
   */
  POWERTOOLS_LOG_LEVEL: logLevel.optional(),
  LOG_LEVEL: logLevel.optional(),
  /** The `service` of every log line and the `service` dimension of every metric: the stack's name on AWS. */
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default('emailless'),
  /**
   * Local capacity runs only (`npm run capacity`): every DynamoDB request of an invocation is
   * appended as one JSON line (keys, sizes, units; never item contents) to <dir>/<pid>.jsonl.
   * Tracing adds untraced reads around each write. Never set on AWS.
   */
  DYNAMODB_TRACE_DIR: z.string().min(1).optional(),
});

function readEnvironment() {
  const parsed = Environment.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Bad configuration: ${fields}`);
  }
  const { POWERTOOLS_LOG_LEVEL, LOG_LEVEL, ...rest } = parsed.data;
  return { ...rest, LOG_LEVEL: POWERTOOLS_LOG_LEVEL ?? LOG_LEVEL ?? 'info' };
}

export const config = readEnvironment();
export type Config = typeof config;

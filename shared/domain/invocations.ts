import type { Context } from 'aws-lambda';
import { withLogKeys } from '../core/logger';
import { withMetrics } from '../core/metrics';
import { traceInvocation } from '../db/trace';

/**
 * A worker's handler (not an HTTP route): its lines carry the invocation's request id (and
 * the tenant and job once the work names them), its metrics are published once at its end,
 * also when it throws, and a local capacity run can tell its DynamoDB requests apart
 * (shared/db/trace.ts).
 */
export const workerHandler =
  <E>(handle: (event: E, context?: Context) => Promise<void>) =>
  (event: E, context?: Context): Promise<void> =>
    withLogKeys({ requestId: context?.awsRequestId ?? 'unknown' }, () => withMetrics(() => traceInvocation(context, () => handle(event, context))));

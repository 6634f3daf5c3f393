import type { Context } from 'aws-lambda';
import { traceInvocation } from '../db/trace';

/**
 * A worker's handler (not an HTTP route), wrapped so that a local capacity run can tell its
 * DynamoDB requests apart (shared/db/trace.ts); on AWS it only calls the handler.
 */
export const workerHandler =
  <E>(handle: (event: E, context?: Context) => Promise<void>) =>
  (event: E, context?: Context): Promise<void> =>
    traceInvocation(context, () => handle(event, context));

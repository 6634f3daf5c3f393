import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db } from './client';
import { StoreBusyError } from './errors';
import { withRetries } from '../core/retry';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** What DynamoDB said about one item of a cancelled transaction. */
interface CancellationReason {
  Code?: string;
  /** The item as it was, in DynamoDB's own JSON (the document client does not unmarshall it). */
  Item?: Record<string, unknown>;
}

/**
 * The items whose condition failed, by their index in the transaction, each with the item as
 * it was when ReturnValuesOnConditionCheckFailure asked for it. Empty when it went through.
 */
export type FailedConditions = ReadonlyMap<number, Record<string, unknown> | undefined>;

/** Cancellation reasons that say "try again": another transaction held an item, or the partition was throttled. */
const transientReasons = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** Tries of a transaction or a write before the caller hears "busy" (503 with Retry-After). */
export const conflictAttempts = 6;

const conflictRetries = (what: string) => ({
  attempts: conflictAttempts,
  baseMs: 40,
  maxMs: 1000,
  retryable: isTransientConflict,
  exhausted: (error: unknown) => new StoreBusyError(what, { cause: error }),
});

function reasonsOf(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

/**
 * True for the failures DynamoDB asks the caller to retry and the SDK does not: a
 * transaction cancelled only for conflicts or throttling, or a plain write that met an item
 * inside a transaction (TransactionConflictException).
 */
export function isTransientConflict(error: unknown): boolean {
  if (error instanceof Error && error.name === 'TransactionConflictException') return true;
  const reasons = reasonsOf(error);
  if (!reasons) return false;
  return reasons.some((reason) => transientReasons.has(reason.Code ?? '')) && !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
}

/**
 * Runs one TransactWriteItems. Conflicts and throttling are retried with bounded, jittered
 * backoff; after the last try the caller gets a StoreBusyError, which answers 503 with
 * Retry-After. A cancellation for failed conditions is no error: the caller reads which items
 * failed and says what that means. Every other failure is thrown as it came.
 */
export function transactWrite(items: TransactItems): Promise<FailedConditions> {
  return withRetries(async () => {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return new Map();
    } catch (error) {
      const reasons = reasonsOf(error);
      if (!reasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw error;
      return new Map(reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [[index, reason.Item] as const] : [])));
    }
  }, conflictRetries('A transaction kept meeting conflicts or throttling'));
}

/**
 * Sends one conditional write (Put, Update, Delete) on an item that transactions also write:
 * DynamoDB refuses it with TransactionConflictException while one holds the item, and the SDK
 * does not retry that. Answers 'condition_failed' instead of throwing for a failed condition.
 */
export function conditionalWrite(send: () => Promise<unknown>): Promise<'written' | 'condition_failed'> {
  return withRetries(async () => {
    try {
      await send();
      return 'written' as const;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return 'condition_failed' as const;
      throw error;
    }
  }, conflictRetries('A write kept meeting a transaction on its item'));
}

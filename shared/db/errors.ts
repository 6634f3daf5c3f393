/** The store stayed busy (conflicts, throttling) through every retry; answers 503 with Retry-After. */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

const unavailableErrors = new Set([
  'StoreBusyError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
]);

/** Cancellation reasons of a transaction that was refused for load or contention, not for its conditions. */
const busyReasons = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'None']);

/** True for failures of the store itself (throttled, busy, down, unreachable), which answer 503. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TransactionCanceledException') {
    // Cancelled without a failed condition: every reason is a conflict, throttling or "None".
    const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.length > 0 && reasons.every((reason) => busyReasons.has(reason.Code ?? 'None')) && reasons.some((reason) => reason.Code !== 'None');
  }
  const code = (error as Error & { code?: string }).code;
  return unavailableErrors.has(error.name) || (code !== undefined && unavailableErrors.has(code));
}

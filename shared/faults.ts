import { config } from './config';

/**
 * Faults the local test stack can switch on at run time (never on AWS: FAULT_INJECTION is
 * off there). The state lives on globalThis because the local gateway runs every function
 * bundle in one process, each with its own copy of this module.
 *
 * They stand in for what only AWS does: DynamoDB Local never cancels a transaction for a
 * conflict or throttling, never leaves batch items unprocessed and updates its index at once;
 * s3rver answers 404 where S3 answers 403 to a role without s3:ListBucket.
 */
export interface Faults {
  /** Share (0..1) of DynamoDB calls that fail with `dynamoDbFailure`. */
  dynamoDbFailureShare: number;
  /**
   * throttle, timeout: any call fails (the SDK retries throttling by itself).
   * conflict: a transaction is cancelled with reason TransactionConflict, a plain write fails
   * with TransactionConflictException (as when it meets an item inside a transaction).
   * transactionThrottle: a transaction is cancelled with reason ThrottlingError.
   * unprocessed: a BatchWriteItem writes nothing and answers every item as UnprocessedItems.
   * The last three touch only the calls they name; the SDK retries none of them.
   */
  dynamoDbFailure: 'throttle' | 'timeout' | 'conflict' | 'transactionThrottle' | 'unprocessed';
  /** Only calls whose input mentions one of these strings (a tenant id, a domain) fail; all when unset. */
  dynamoDbFailureScope?: string[];
  /** The code index lags: a query on gsi1 does not see a code written less than this many ms ago. */
  indexLagMs?: number;
  /** What S3 answers for a missing object: 403, as to a role without s3:ListBucket, or 404. */
  s3MissingObjectStatus?: 403 | 404;
  /** That import crashes once after this many rows, as a killed function would. */
  importCrash?: { importId: string; afterRows: number };
  /** Imports with these ids, and exports of these tenants, fail on every attempt, so that Lambda gives up on them. */
  workerFailures?: string[];
  /** `<tenantId>#<step>`: that tenant's sweep dies once on reaching that step, as a killed function would. */
  sweepCrashes?: string[];
  /** The sweeps of these tenants wait before their first step until the tenant leaves the list. */
  sweepHolds?: string[];
}

const holder = globalThis as { emaillessFaults?: Faults; emaillessCodeWrites?: Map<string, number> };
holder.emaillessFaults ??= { dynamoDbFailureShare: 0, dynamoDbFailure: 'throttle' };
holder.emaillessCodeWrites ??= new Map();

export const faultsEnabled = config.FAULT_INJECTION === 'on';
export const faults = (): Faults => holder.emaillessFaults!;

const writeCommands = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const codeMention = /CODE#[A-Za-z0-9_=+/-]+/g;

function inScope(input: unknown): boolean {
  const scope = faults().dynamoDbFailureScope;
  if (!scope || scope.length === 0) return true;
  const text = JSON.stringify(input);
  return scope.some((mention) => text.includes(mention));
}

const awsError = (name: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 }, ...extra });

/** A cancellation as DynamoDB sends it: one reason per item, `None` for the items that were fine. */
function cancelled(input: { TransactItems?: unknown[] }, code: 'TransactionConflict' | 'ThrottlingError'): Error {
  const count = input.TransactItems?.length ?? 1;
  const culprit = Math.floor(Math.random() * count);
  const reasons = Array.from({ length: count }, (_, index) => (index === culprit ? { Code: code, Message: `Injected ${code}` } : { Code: 'None' }));
  return awsError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`, {
    CancellationReasons: reasons,
  });
}

/**
 * An answer an injected fault gives instead of calling DynamoDB: a gsi1 query that does not
 * see a code yet, or a batch write that wrote nothing. Runs before the document client
 * marshals, so input and answer are plain JavaScript. `command` is the SDK's command name.
 */
export function injectedDynamoDbAnswer(command: string, input: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!faultsEnabled) return undefined;
  const lagMs = faults().indexLagMs ?? 0;
  if (lagMs > 0) {
    const codeWrites = holder.emaillessCodeWrites!;
    if (command === 'QueryCommand' && input.IndexName) {
      const recent = (JSON.stringify(input).match(codeMention) ?? []).some((code) => Date.now() - (codeWrites.get(code) ?? 0) < lagMs);
      if (recent) return { Items: [], Count: 0, ScannedCount: 0, $metadata: {} };
    } else if (writeCommands.has(command) || command === 'TransactWriteItemsCommand' || command === 'BatchWriteItemCommand') {
      for (const code of JSON.stringify(input).match(codeMention) ?? []) codeWrites.set(code, Date.now());
    }
  }
  if (faults().dynamoDbFailure !== 'unprocessed' || command !== 'BatchWriteItemCommand') return undefined;
  if (Math.random() >= faults().dynamoDbFailureShare || !inScope(input)) return undefined;
  return { UnprocessedItems: input.RequestItems, $metadata: {} };
}

/**
 * The error an injected fault makes this DynamoDB call fail with, if any. Runs inside the
 * SDK's retry step, so the SDK retries what it would retry of a real failure.
 */
export function injectedDynamoDbFailure(command: string, input: Record<string, unknown>): Error | undefined {
  if (!faultsEnabled || faults().dynamoDbFailure === 'unprocessed') return undefined;
  if (Math.random() >= faults().dynamoDbFailureShare || !inScope(input)) return undefined;
  switch (faults().dynamoDbFailure) {
    case 'timeout':
      return Object.assign(new Error('Injected timeout'), { name: 'TimeoutError', $metadata: {} });
    case 'throttle':
      return awsError('ThrottlingException', 'Injected throttling');
    case 'conflict':
      if (command === 'TransactWriteItemsCommand') return cancelled(input, 'TransactionConflict');
      return writeCommands.has(command) ? awsError('TransactionConflictException', 'Transaction is ongoing for the item') : undefined;
    case 'transactionThrottle':
      return command === 'TransactWriteItemsCommand' ? cancelled(input, 'ThrottlingError') : undefined;
  }
}

/** S3 as AWS answers a role without s3:ListBucket: a missing object is 403, not 404. */
export function injectedS3Error(command: string, error: unknown): unknown {
  if (!faultsEnabled || faults().s3MissingObjectStatus !== 403) return error;
  const name = (error as Error | undefined)?.name;
  if (name !== 'NotFound' && name !== 'NoSuchKey') return error;
  // HeadObject has no body, so the SDK names the error by its status; GetObject's body says AccessDenied.
  const forbidden = command === 'HeadObjectCommand' ? 'Forbidden' : 'AccessDenied';
  return Object.assign(new Error(forbidden === 'Forbidden' ? 'UnknownError' : 'Access Denied'), { name: forbidden, $fault: 'client', $metadata: { httpStatusCode: 403 } });
}

/** True once, when the import has reached the row at which a crash was asked for. */
export function importShouldCrash(importId: string, processedRows: number): boolean {
  const crash = faultsEnabled ? faults().importCrash : undefined;
  if (crash?.importId !== importId || processedRows < crash.afterRows) return false;
  faults().importCrash = undefined;
  return true;
}

/** Throws on every attempt of a worker whose import (by id) or export (by tenant) was asked to fail for good. */
export function failWorkerIfAsked(id: string): void {
  if (faultsEnabled && faults().workerFailures?.includes(id)) {
    throw Object.assign(new Error('Injected worker failure'), { name: 'InjectedWorkerFailure' });
  }
}

/** The tenant sweep's faults: held before it starts, or dying once on reaching a step. */
export async function sweepFaultsAt(tenantId: string, step: number): Promise<void> {
  if (!faultsEnabled) return;
  while (faults().sweepHolds?.includes(tenantId)) await new Promise((resolve) => setTimeout(resolve, 50));
  const crashes = faults().sweepCrashes ?? [];
  const crash = crashes.indexOf(`${tenantId}#${step}`);
  if (crash < 0) return;
  crashes.splice(crash, 1);
  throw Object.assign(new Error('Injected sweep crash'), { name: 'InjectedWorkerFailure' });
}

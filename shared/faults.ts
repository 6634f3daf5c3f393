import { config } from './config';

/**
 * Faults the local test stack can switch on at run time (never on AWS: FAULT_INJECTION is
 * off there). The state lives on globalThis because the local gateway runs every function
 * bundle in one process, each with its own copy of this module.
 */
export interface Faults {
  /** Share (0..1) of DynamoDB calls that fail as if throttled or timed out. */
  dynamoDbFailureShare: number;
  dynamoDbFailure: 'throttle' | 'timeout';
  /** Only calls whose input mentions one of these strings (a tenant id, a domain) fail; all when unset. */
  dynamoDbFailureScope?: string[];
  /** That import crashes once after this many rows, as a killed function would. */
  importCrash?: { importId: string; afterRows: number };
}

const holder = globalThis as { emaillessFaults?: Faults };
holder.emaillessFaults ??= { dynamoDbFailureShare: 0, dynamoDbFailure: 'throttle' };

export const faultsEnabled = config.FAULT_INJECTION === 'on';
export const faults = (): Faults => holder.emaillessFaults!;

export function injectedDynamoDbFailure(input: unknown): Error | undefined {
  if (!faultsEnabled || Math.random() >= faults().dynamoDbFailureShare) return undefined;
  const scope = faults().dynamoDbFailureScope;
  if (scope && scope.length > 0) {
    const text = JSON.stringify(input);
    if (!scope.some((mention) => text.includes(mention))) return undefined;
  }
  if (faults().dynamoDbFailure === 'timeout') return Object.assign(new Error('Injected timeout'), { name: 'TimeoutError', $metadata: {} });
  return Object.assign(new Error('Injected throttling'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** True once, when the import has reached the row at which a crash was asked for. */
export function importShouldCrash(importId: string, processedRows: number): boolean {
  const crash = faultsEnabled ? faults().importCrash : undefined;
  if (crash?.importId !== importId || processedRows < crash.afterRows) return false;
  faults().importCrash = undefined;
  return true;
}

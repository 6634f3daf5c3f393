import type { ModelOptions } from './types';

/** On-demand list prices, us-east-1, since November 2024, in USD per million request units. */
export const WRITE_REQUEST_UNIT_USD_PER_MILLION = 0.625;
export const READ_REQUEST_UNIT_USD_PER_MILLION = 0.125;

/**
 * Round trips on AWS with nothing throttled, from within the region. These are assumptions in
 * line with DynamoDB's "single-digit milliseconds", not measurements: a single-item read is the
 * cheapest, a write waits for replication, a query or batch reads or writes several items, and a
 * transaction pays for its two phases.
 */
export const latencyMsByOp: Readonly<Record<string, number>> = {
  GetItem: 4,
  PutItem: 6,
  UpdateItem: 6,
  DeleteItem: 6,
  Query: 8,
  BatchGetItem: 8,
  BatchWriteItem: 10,
  TransactGetItems: 10,
  TransactWriteItems: 15,
};

export function assumedLatencyMs(op: string): number {
  const latency = latencyMsByOp[op];
  if (latency === undefined) throw new Error(`The model assumes no latency for ${op}: add it to latencyMsByOp`);
  return latency;
}

export const awsDefaults: ModelOptions = {
  partitionWcuPerSecond: 1_000,
  partitionRcuPerSecond: 3_000,
  tableStartWcuPerSecond: 4_000,
  tableStartRcuPerSecond: 12_000,
  doublingWindowMs: 30 * 60 * 1000,
  lambdaConcurrency: 1_000,
  latencyMs: assumedLatencyMs,
  retryBaseMs: 25,
  retryCapMs: 2_000,
};

/**
 * The contract between the recorder (what the real code sent to DynamoDB, locally) and the
 * model (what AWS would make of it). Times are milliseconds.
 */

/** One partition key touched by a request: on the table itself or on one of its indexes. */
export interface Access {
  /** 'table', or the index name ('gsi1', 'gsi2', …). */
  index: string;
  /** The partition key value on that table or index (e.g. "T#3f…", "CODE#ab…"). */
  pk: string;
  kind: 'read' | 'write';
  /** Capacity units this request costs on this key: WCU for writes, RCU for reads (0.5 steps allowed). */
  units: number;
}

export interface TracedRequest {
  /** DynamoDB operation: GetItem, PutItem, UpdateItem, DeleteItem, Query, BatchGetItem, BatchWriteItem, TransactWriteItems, TransactGetItems. */
  op: string;
  /** When the code sent it and when the answer came back, relative to the invocation's start. */
  sentMs: number;
  answeredMs: number;
  accesses: Access[];
}

/** One Lambda invocation (an API request, or one run of a worker) and the requests it sent, in order. */
export interface Invocation {
  id: string;
  /** The function's name (e.g. "signIn", "me", "importFile"). */
  fn: string;
  /** When it started, relative to the scenario's start. */
  startMs: number;
  /** How long the invocation took locally, start to answer. */
  durationMs: number;
  requests: TracedRequest[];
}

export interface Trace {
  scenario: string;
  /** 'v1' is the layout with one partition per tenant; 'v2' the layout that spreads a tenant. */
  layout: string;
  /** Where and when it was recorded (git commit, date): a trace is a fact about one version of the code. */
  recordedAt: { commit: string; date: string };
  invocations: Invocation[];
}

/** Options of the model, each with the AWS figure it stands for as its default. */
export interface ModelOptions {
  /** Per partition key, no split assumed: 1,000 WCU/s and 3,000 RCU/s. */
  partitionWcuPerSecond: number;
  partitionRcuPerSecond: number;
  /** On-demand: a new table (and each index) serves 4,000 WCU/s and 12,000 RCU/s at first, and at most double its previous peak within 30 minutes. */
  tableStartWcuPerSecond: number;
  tableStartRcuPerSecond: number;
  doublingWindowMs: number;
  /** How many invocations may run at once; the rest wait for a free one. */
  lambdaConcurrency: number;
  /** The round trip of each operation on AWS when nothing is throttled. */
  latencyMs: (op: string) => number;
  /**
   * The client's backoff after a throttle: retry n waits min(retryCapMs, retryBaseMs × 2^(n−1)), no
   * jitter. Unset: 25 ms and 2 s. The model keeps retrying where the SDK would give up after its
   * maxAttempts, so a throttle costs time, never the request.
   */
  retryBaseMs?: number;
  retryCapMs?: number;
}

/** A workload for the model: invocations with their arrival time and how many requests each keeps in flight. */
export interface WorkloadInvocation {
  id: string;
  fn: string;
  arriveMs: number;
  /** Requests this invocation may have outstanding at once (1 for a handler that awaits each; the worker's pool size for the import). */
  inFlight: number;
  steps: { /** The invocation's own CPU time before this request could be sent. */ gapMs: number; op: string; accesses: Access[] }[];
  /** CPU time after the last answer before the invocation is done. */
  tailMs: number;
}

export interface Prediction {
  /** First arrival to last invocation done. */
  makespanMs: number;
  byFunction: Record<string, { invocations: number; p50Ms: number; p99Ms: number; maxMs: number; requests: number; throttledRequests: number }>;
  throttledRequests: number;
  /** Which limit refused the attempts: a partition key's bucket (counted here when any key lacked units), or else the table's (index's) ceiling. */
  throttledBy: { key: number; table: number };
  /** The key with the most units, and its share of all units of its kind. */
  hottestKey: { index: string; pk: string; kind: 'read' | 'write'; units: number; share: number };
  units: { read: number; write: number };
  /** At on-demand list prices (us-east-1). */
  costUsd: number;
}

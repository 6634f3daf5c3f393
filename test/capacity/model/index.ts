/** The capacity model: recorded invocations in, a prediction of what DynamoDB on AWS would make of them out. */
export { awsDefaults, latencyMsByOp, READ_REQUEST_UNIT_USD_PER_MILLION, WRITE_REQUEST_UNIT_USD_PER_MILLION } from './defaults';
export { requestUnitsCostUsd } from './cost';
export { replicate, workloadOf } from './workload';
export { simulate } from './simulate';
export { formatMs, formatTable, targetRows, type ScenarioResult, type Target } from './report';
export type * from './types';

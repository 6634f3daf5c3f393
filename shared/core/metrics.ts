import { AsyncLocalStorage } from 'node:async_hooks';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from '../config';
import { currentLogKeys } from './logger';
import { metricNamespace, metricNames, type MetricName } from './metric-names';

type Unit = 'Count' | 'Milliseconds';

const newMetrics = () => {
  const metrics = new Metrics({ namespace: metricNamespace, serviceName: config.POWERTOOLS_SERVICE_NAME });
  metrics.setThrowOnEmptyMetrics(false);
  return metrics;
};

/**
 * Each invocation stores its metrics in its own Metrics object, so that two requests the
 * local gateway runs at once in one function never share a line (nor a tenant's metadata).
 */
const invocationMetrics = new AsyncLocalStorage<Metrics>();

/** The running invocation's keys (requestId, tenantId, …) as metadata: the tenant is never a dimension. */
function addKeysAsMetadata(metrics: Metrics): void {
  for (const [key, value] of Object.entries(currentLogKeys())) if (typeof value === 'string') metrics.addMetadata(key, value);
}

/**
 * Runs an invocation and publishes its metrics once at the end, as one EMF line on standard
 * output, also when it throws. An invocation that recorded none prints nothing.
 */
export async function withMetrics<T>(run: () => Promise<T>): Promise<T> {
  const metrics = newMetrics();
  try {
    return await invocationMetrics.run(metrics, run);
  } finally {
    if (metrics.hasStoredMetrics()) {
      addKeysAsMetadata(metrics);
      metrics.publishStoredMetrics();
    }
  }
}

/** Records a metric of the running invocation; outside one (a script, a unit test) it goes nowhere. */
export function addMetric(name: MetricName, unit: Unit, value: number): void {
  invocationMetrics.getStore()?.addMetric(name, MetricUnit[unit], value);
}

export const countMetric = (name: MetricName, value = 1) => addMetric(name, 'Count', value);

/**
 * ApiLatency on a line of its own: its `routeGroup` dimension would otherwise apply to every
 * metric of the invocation (EMF gives all metrics of a line the same dimensions).
 */
export function publishApiLatency(routeGroup: string, milliseconds: number): void {
  const metrics = newMetrics();
  metrics.addDimension('routeGroup', routeGroup);
  addKeysAsMetadata(metrics);
  metrics.addMetric(metricNames.apiLatency, MetricUnit.Milliseconds, milliseconds);
  metrics.publishStoredMetrics();
}

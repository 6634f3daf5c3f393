/**
 * Powertools Metrics as the functions use it (shared/core/metrics.ts): the EMF lines an
 * invocation prints, read from the process's own output.
 */
import { metricNames, metricNamespace } from '../../shared/core/metric-names';
import { loadWithEnvironment, writtenLines } from './process-output';

type Modules = { metrics: typeof import('../../shared/core/metrics'); logger: typeof import('../../shared/core/logger') };

const load = (env: Record<string, string | undefined>): Modules =>
  loadWithEnvironment(env, () => ({ metrics: jest.requireActual('../../shared/core/metrics'), logger: jest.requireActual('../../shared/core/logger') }));

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

const { metrics, logger } = load({ LOG_LEVEL: 'silent', POWERTOOLS_SERVICE_NAME: undefined, POWERTOOLS_METRICS_NAMESPACE: 'not-ours', POWERTOOLS_DEV: undefined, POWERTOOLS_METRICS_DISABLED: undefined });
const invocation = (run: () => void) => logger.withLogKeys({ requestId: 'r1' }, () => metrics.withMetrics(async () => run()));

describe('metrics of an invocation', () => {
  it('are one EMF line at its end: namespace emailless, dimension service, the tenant as metadata', async () => {
    const lines = await writtenLines(() =>
      invocation(() => {
        logger.appendLogKeys({ tenantId: 'tenant-a' });
        metrics.countMetric(metricNames.signIns);
        metrics.countMetric(metricNames.importRows, 42);
        metrics.addMetric(metricNames.importDuration, 'Milliseconds', 1500);
      }),
    );
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]!) as Emf;
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: metricNamespace,
        Dimensions: [['service']],
        Metrics: [
          { Name: 'SignIns', Unit: 'Count' },
          { Name: 'ImportRows', Unit: 'Count' },
          { Name: 'ImportDuration', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(emf).toMatchObject({ service: 'emailless', SignIns: 1, ImportRows: 42, ImportDuration: 1500, tenantId: 'tenant-a', requestId: 'r1' });
  });

  it('are published when the invocation throws', async () => {
    const lines = await writtenLines(() =>
      invocation(() => {
        metrics.countMetric(metricNames.throttledAttempts);
        throw new Error('refused');
      }).catch(() => undefined),
    );
    expect(lines.map((line) => (JSON.parse(line) as Emf).ThrottledAttempts)).toEqual([1]);
  });

  it('an invocation without metrics prints nothing, not even a warning', async () => {
    expect(await writtenLines(() => invocation(() => undefined))).toEqual([]);
  });

  it('ApiLatency has its own line with the routeGroup dimension', async () => {
    const lines = await writtenLines(() =>
      invocation(() => {
        logger.appendLogKeys({ tenantId: 'tenant-b' });
        metrics.countMetric(metricNames.accessCodesViewed);
        metrics.publishApiLatency('admin-invitations', 12);
      }),
    );
    const [latency, business] = lines.map((line) => JSON.parse(line) as Emf);
    expect(latency!._aws.CloudWatchMetrics[0]).toEqual({ Namespace: 'emailless', Dimensions: [['service', 'routeGroup']], Metrics: [{ Name: 'ApiLatency', Unit: 'Milliseconds' }] });
    expect(latency).toMatchObject({ ApiLatency: 12, routeGroup: 'admin-invitations', tenantId: 'tenant-b' });
    expect(business!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(business).not.toHaveProperty('routeGroup');
  });

  it('overlapping invocations never share a line', async () => {
    const one = (tenantId: string, delayMs: number) =>
      logger.withLogKeys({ requestId: tenantId }, () =>
        metrics.withMetrics(async () => {
          logger.appendLogKeys({ tenantId });
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          metrics.countMetric(metricNames.signUps);
        }),
      );
    const lines = await writtenLines(() => Promise.all([one('a', 5), one('b', 1)]));
    expect(lines.map((line) => JSON.parse(line) as Emf).map(({ tenantId, SignUps }) => ({ tenantId, SignUps })).sort((x, y) => String(x.tenantId).localeCompare(String(y.tenantId)))).toEqual([
      { tenantId: 'a', SignUps: 1 },
      { tenantId: 'b', SignUps: 1 },
    ]);
  });

  it('outside an invocation a metric goes nowhere', async () => {
    expect(await writtenLines(() => metrics.countMetric(metricNames.signIns))).toEqual([]);
  });
});

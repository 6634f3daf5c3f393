/**
 * The custom metrics the functions emit (embedded metric format, Powertools Metrics) and the
 * dashboard and alarms read: one list, so a renamed metric cannot leave a graph empty.
 * Every metric has the dimension `service` (the stack's name on AWS, `emailless` locally);
 * `ApiLatency` has `routeGroup` too. The tenant is metadata on the line, never a dimension
 * (one dimension value per tenant would be one billed metric per tenant).
 */
export const metricNamespace = 'emailless';

export const metricNames = {
  signIns: 'SignIns',
  signInFailures: 'SignInFailures',
  throttledAttempts: 'ThrottledAttempts',
  accessCodesViewed: 'AccessCodesViewed',
  signUps: 'SignUps',
  importsStarted: 'ImportsStarted',
  importsCompleted: 'ImportsCompleted',
  importsFailed: 'ImportsFailed',
  importRows: 'ImportRows',
  /** Milliseconds from the upload's arrival to the import's end. */
  importDuration: 'ImportDuration',
  exportsCompleted: 'ExportsCompleted',
  exportsFailed: 'ExportsFailed',
  letterRunsCompleted: 'LetterRunsCompleted',
  letterRunsFailed: 'LetterRunsFailed',
  lettersPrinted: 'LettersPrinted',
  /** Milliseconds from the request's arrival to its answer, by route group. */
  apiLatency: 'ApiLatency',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];

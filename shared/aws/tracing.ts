import { Tracer } from '@aws-lambda-powertools/tracer';
import { config } from '../config';

/**
 * X-Ray subsegments for the AWS SDK calls (Powertools Tracer). Powertools decides whether
 * tracing is on: POWERTOOLS_TRACE_ENABLED, and only inside Lambda, so the local stack never
 * looks for an X-Ray daemon. HTTP calls are not captured apart: the SDK's own are the ones
 * that matter, and each would otherwise show twice.
 */
const tracer = new Tracer({ serviceName: config.POWERTOOLS_SERVICE_NAME, captureHTTPsRequests: false });

/** The client itself, traced when tracing is on. */
export const traced = <T>(client: T): T => (tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client);

import { finishExport } from '../db/exports';
import { finishLetterRun, getLetterRun } from '../db/letters';
import { abandonImport } from '../db/imports';
import { log } from '../core/logger';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { importFiles } from './import-files';
import { putAudit } from '../db/audit';

/**
 * What Lambda sends a failure destination once it has given up on an asynchronous
 * invocation (after its retries): the original event and how the last attempt ended.
 */
export interface FailedInvocation {
  requestContext?: { functionArn?: string; condition?: string; approximateInvokeCount?: number };
  requestPayload?: unknown;
  responsePayload?: { errorType?: string; errorMessage?: string } | null;
}

const importFailure = { code: 'worker_failed', message: 'The import stopped after repeated failures. Upload the file again.' };
const exportFailure = { code: 'worker_failed', message: 'The export stopped after repeated failures. Start it again.' };
const lettersFailure = { code: 'worker_failed', message: 'The letters stopped after repeated failures. Start them again.' };

/** A failed import in the audit log, with why (the worker's refusal, or its giving up). */
export function recordImportFailed(record: { tenantId: string; id: string }, code: string, at: string): Promise<void> {
  return putAudit(record.tenantId, { at, actor: { kind: 'system' }, action: 'import.failed', target: { type: 'import', id: record.id }, details: { code } });
}

type S3Records = { Records?: { eventName?: string; s3?: { object?: { key?: string } } }[] };
type JobEvent = { tenantId?: unknown; exportId?: unknown; letterRunId?: unknown };

/**
 * Marks the import, export or letter run of a given-up invocation failed, so that the console stops
 * polling and says so. Safe to run twice: a job that has finished meanwhile stays as it is.
 */
export async function markJobFailed(invocation: FailedInvocation): Promise<void> {
  const payload = invocation.requestPayload as (S3Records & JobEvent) | undefined;
  const lastError = invocation.responsePayload?.errorType ?? 'unknown';
  const now = new Date().toISOString();
  for (const record of payload?.Records ?? []) {
    const target = importFiles.parseUpload(decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' ')));
    if (!target) continue;
    const marked = await abandonImport(target.tenantId, target.importId, importFailure, now);
    if (marked) {
      countMetric(metricNames.importsFailed);
      await recordImportFailed({ tenantId: target.tenantId, id: target.importId }, importFailure.code, now);
    }
    log(marked ? 'warn' : 'info', marked ? 'import marked failed after the worker gave up' : 'given-up import had already finished', { ...target, lastError });
  }
  if (typeof payload?.tenantId === 'string' && typeof payload.exportId === 'string') {
    const marked = await finishExport({ tenantId: payload.tenantId, id: payload.exportId }, { status: 'failed', count: 0, failure: exportFailure });
    if (marked) countMetric(metricNames.exportsFailed);
    log(marked ? 'warn' : 'info', marked ? 'export marked failed after the worker gave up' : 'given-up export had already finished', { tenantId: payload.tenantId, exportId: payload.exportId, lastError });
  }
  if (typeof payload?.tenantId === 'string' && typeof payload.letterRunId === 'string') {
    const run = await getLetterRun(payload.tenantId, payload.letterRunId);
    const marked = run !== undefined && (await finishLetterRun(run, { status: 'failed', count: 0, failure: lettersFailure }));
    if (marked) countMetric(metricNames.letterRunsFailed);
    log(marked ? 'warn' : 'info', marked ? 'letter run marked failed after the worker gave up' : 'given-up letter run had already finished', { tenantId: payload.tenantId, letterRunId: payload.letterRunId, lastError });
  }
}

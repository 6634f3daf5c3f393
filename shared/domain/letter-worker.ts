import { setImmediate as nextTurn } from 'node:timers/promises';
import { decryptAccessCode, formatAccessCode } from '../auth/access-codes';
import { StreamedObject } from '../aws/multipart';
import { config } from '../config';
import { finishLetterRun, getLetterRun, invitationsByIds, listedPendingInvitations, pendingInvitations, type LetterRunRecord } from '../db/letters';
import type { InvitationRecord } from '../db/invitations';
import { getTenant } from '../db/tenants';
import { failWorkerIfAsked } from '../faults';
import { appendLogKeys, log } from '../core/logger';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { CodeSheets } from '../pdf/code-sheets';
import { uidOfInvitationId } from './invitations';
import { pdfContentType } from './letters';
import { printedInvitation } from './printed-codes';

/** The letters worker's side, apart from the routes' (shared/domain/letters.ts), so that the routes' bundles stay small. */

/** The run's pending invitations, page by page: the ones named (read again now), or the filter's. */
async function* selected(record: LetterRunRecord, now: string): AsyncGenerator<InvitationRecord[]> {
  const { invitationIds, filter } = record.selection;
  if (!invitationIds) return yield* pendingInvitations(record.tenantId, filter ?? {}, now);
  const named = invitationIds.map((id) => ({ id, uid: uidOfInvitationId(id) ?? '' }));
  // Accepted or revoked since the run was asked for: no letter (the count says how many were printed).
  yield (await invitationsByIds(record.tenantId, named)).filter((invitation) => invitation.status === 'pending' && invitation.expiresAt > now);
}

/**
 * Whether a filter selects more than the limit: counted first, so that an over-broad filter
 * fails in seconds rather than after printing 50,000 letters. The printing loop checks again,
 * for invitations made in between.
 */
async function countOver(record: LetterRunRecord, now: string, limit: number): Promise<boolean> {
  let total = 0;
  for await (const page of listedPendingInvitations(record.tenantId, record.selection.filter ?? {}, now)) if ((total += page.length) > limit) return true;
  return false;
}

/** Letters are made between turns of the event loop, so the PDF's bytes reach the upload as they are made. */
const lettersBetweenTurns = 20;

const tooMany = (limit: number) => ({ code: 'too_many_letters', message: `A run prints at most ${limit.toLocaleString('en')} letters; narrow the filter (by import, role or uid prefix).` });

/** Fails the run, counted once: by the call whose write finished it. */
async function failRun(record: LetterRunRecord, failure: { code: string; message: string }): Promise<void> {
  if (await finishLetterRun(record, { status: 'failed', count: 0, failure })) countMetric(metricNames.letterRunsFailed);
}

/**
 * The worker: one letter (or card) per pending invitation, written to S3 as the pages are
 * made (StreamedObject), so memory follows one upload part and not the number of letters.
 * A retried invocation makes the file again from the start; the run finishes once.
 */
export async function printLetters(tenantId: string, runId: string): Promise<void> {
  appendLogKeys({ tenantId, letterRunId: runId });
  const record = await getLetterRun(tenantId, runId);
  if (!record || record.status !== 'running') {
    log('info', 'letters event ignored', { status: record?.status ?? 'unknown' });
    return;
  }
  failWorkerIfAsked(tenantId);
  const tenant = await getTenant(tenantId);
  if (!tenant) return failRun(record, { code: 'tenant_missing', message: 'The organisation no longer exists.' });

  const now = new Date().toISOString();
  if (record.selection.filter && (await countOver(record, now, config.LETTERS_MAX_PER_RUN))) {
    return failRun(record, tooMany(config.LETTERS_MAX_PER_RUN));
  }
  const file = new StreamedObject(record.fileKey, pdfContentType);
  let sheets: CodeSheets | undefined;
  let count = 0;
  try {
    for await (const page of selected(record, now)) {
      for (const invitation of page) {
        if (++count > config.LETTERS_MAX_PER_RUN) {
          await file.abort();
          return failRun(record, tooMany(config.LETTERS_MAX_PER_RUN));
        }
        sheets ??= new CodeSheets(record.layout, record.language, (chunk) => file.write(chunk));
        const code = formatAccessCode(await decryptAccessCode(invitation.codeCiphertext!, invitation.id));
        sheets.add(printedInvitation(tenant, invitation, code));
        if (count % lettersBetweenTurns === 0) {
          await nextTurn();
          await file.flush();
        }
      }
    }
    if (sheets) {
      await sheets.finish();
      await file.complete();
    }
  } catch (error) {
    await file.abort();
    throw error;
  }
  if (await finishLetterRun(record, { status: 'completed', count, extra: { pages: sheets?.pages ?? 0 } })) {
    countMetric(metricNames.letterRunsCompleted);
    countMetric(metricNames.lettersPrinted, count);
  }
  log('info', 'letters completed', { count, pages: sheets?.pages ?? 0, bytes: file.bytes });
}

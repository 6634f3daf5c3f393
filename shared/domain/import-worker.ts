import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { putAudit } from '../db/audit';
import { isStoreUnavailable } from '../db/errors';
import { objectSize, readObject, writeObject } from '../aws/bucket';
import { claimImport, finishImport, getImport, importBatchSize, putImportedInvitations, putRowErrors, recordProgress, takenUids, type ImportCounters, type ImportRecord, type RowError } from '../db/imports';
import { getTenant } from '../db/tenants';
import { ImportFileError, importLimits, readInvitationRows, type SheetRow } from '../excel/read';
import { XlsxWriter, xlsxContentType } from '../excel/write';
import { failWorkerIfAsked, importShouldCrash } from '../faults';
import { log } from '../core/logger';
import { Uid } from '../schemas/invitations';
import { importColumns } from './imports';
import { importFiles } from './import-files';
import { newInvitationRecord, type Inviter } from './invitations';

/** Transactions in flight (each of importBatchSize rows): enough to keep DynamoDB busy, bounded. */
export const batchesInFlight = 8;
const progressEveryRows = 500;
const progressEveryMs = 1000;

type RowOutcome = { status: 'invited' } | { status: 'failed'; code: string; message: string };

class ClaimLost extends Error {
  override readonly name = 'ClaimLost';
}

/** The checks that need no database: uid rules, names, duplicates inside the file. */
export function checkRows(rows: SheetRow[]): Map<number, RowOutcome & { status: 'failed' }> {
  const failures = new Map<number, RowOutcome & { status: 'failed' }>();
  const firstRowOfUid = new Map<string, number>();
  for (const row of rows) {
    if (!Uid.safeParse(row.uid).success) {
      failures.set(row.row, { status: 'failed', code: 'invalid_uid', message: row.uid === '' ? 'The uid is empty.' : 'A uid is 1 to 64 ASCII letters and digits.' });
      continue;
    }
    if (row.firstName.length > 100 || row.lastName.length > 100) {
      failures.set(row.row, { status: 'failed', code: 'name_too_long', message: 'A first or last name has at most 100 characters.' });
      continue;
    }
    const first = firstRowOfUid.get(row.uid.toLowerCase());
    if (first !== undefined) {
      failures.set(row.row, { status: 'failed', code: 'duplicate_in_file', message: `The uid is already on row ${first} of this file.` });
      continue;
    }
    firstRowOfUid.set(row.uid.toLowerCase(), row.row);
  }
  return failures;
}

/** Retries what the store refuses for load (throttling, timeouts) until it goes through: no row is lost. */
async function withBackoff<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (!isStoreUnavailable(error) || attempt >= 12) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 50 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

/** Runs `work` over items with at most `limit` in flight; after a failure no new item starts. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failure) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  });
  await Promise.all(lanes);
  if (failure) throw failure.error;
}

function writeReport(rows: SheetRow[], outcomes: Map<number, RowOutcome>, dryRun: boolean): Uint8Array {
  const writer = new XlsxWriter('Report', [...importColumns, 'status', 'reason']);
  for (const row of rows) {
    const outcome = outcomes.get(row.row);
    const status = outcome?.status === 'failed' ? 'failed' : dryRun ? 'would be invited' : 'invited';
    writer.addRow([row.uid, row.firstName, row.lastName, status, outcome?.status === 'failed' ? outcome.message : '']);
  }
  return writer.finish();
}

async function process(record: ImportRecord, claimId: string): Promise<void> {
  const counters: ImportCounters = { totalRows: 0, processedRows: 0, invitedCount: 0, failedCount: 0 };
  const fail = async (code: string, message: string) => {
    await withBackoff(() => finishImport(record, claimId, { status: 'failed', counters, failure: { code, message } }, new Date().toISOString()));
    log('info', 'import failed', { tenantId: record.tenantId, importId: record.id, failure: code });
  };

  const size = await objectSize(record.uploadKey);
  if (size === undefined) return fail('upload_missing', 'The uploaded file is not there any more.');
  if (size > importLimits.maxBytes) return fail('file_too_large', `The file has ${size} bytes; at most ${importLimits.maxBytes} are accepted.`);
  const tenant = await withBackoff(() => getTenant(record.tenantId));
  if (!tenant?.settings.signInWithoutEmail) return fail('feature_disabled', 'Sign-in without email was switched off before the import ran.');

  const timings = { startedAt: Date.now(), parsedAt: 0, writtenAt: 0 };
  let rows: SheetRow[];
  try {
    const bytes = (await readObject(record.uploadKey))!;
    rows = readInvitationRows(bytes);
  } catch (error) {
    if (error instanceof ImportFileError) return fail(error.code, error.message);
    throw error;
  }

  timings.parsedAt = Date.now();
  counters.totalRows = rows.length;
  const outcomes = new Map<number, RowOutcome>(checkRows(rows));
  let pendingErrors: RowError[] = [];
  let lastProgress = Date.now();
  let sinceProgress = 0;
  let flushing = false;
  const settle = async (row: SheetRow, outcome: RowOutcome) => {
    outcomes.set(row.row, outcome);
    counters.processedRows++;
    if (outcome.status === 'invited') counters.invitedCount++;
    else {
      counters.failedCount++;
      pendingErrors.push({ row: row.row, uid: row.uid, code: outcome.code, message: outcome.message });
    }
    sinceProgress++;
    if (importShouldCrash(record.id, counters.processedRows)) throw Object.assign(new Error('Simulated crash (fault injection)'), { name: 'SimulatedCrash' });
    if (!flushing && (sinceProgress >= progressEveryRows || Date.now() - lastProgress >= progressEveryMs)) {
      flushing = true;
      sinceProgress = 0;
      lastProgress = Date.now();
      const errors = pendingErrors;
      pendingErrors = [];
      try {
        await withBackoff(() => putRowErrors(record.tenantId, record.id, errors));
        if (!(await withBackoff(() => recordProgress(record, claimId, { ...counters }, new Date().toISOString())))) throw new ClaimLost('Another worker took the import over');
      } finally {
        flushing = false;
      }
    }
  };

  for (const row of rows) {
    const failure = outcomes.get(row.row);
    if (failure) await settle(row, failure);
  }
  const good = rows.filter((row) => !outcomes.has(row.row));
  const inviter: Inviter = { tenantId: tenant.id, accessCodeTtlDays: tenant.settings.accessCodeTtlDays, userId: record.createdBy };
  const taken = 'A user or a pending invitation of this organisation already has this uid.';

  if (record.dryRun) {
    const claimed = await withBackoff(() => takenUids(tenant.id, good.map((row) => row.uid)));
    for (const row of good) {
      await settle(row, claimed.has(row.uid.toLowerCase()) ? { status: 'failed', code: 'uid_taken', message: taken } : { status: 'invited' });
    }
  } else {
    const batches = Array.from({ length: Math.ceil(good.length / importBatchSize) }, (_, index) => good.slice(index * importBatchSize, (index + 1) * importBatchSize));
    await inPool(batches, batchesInFlight, async (batch) => {
      const invitations = await Promise.all(
        batch.map(async (row) => {
          const { record: invitation } = await newInvitationRecord(
            inviter,
            { uid: row.uid, role: 'member', groupIds: [], ...(row.firstName ? { firstName: row.firstName } : {}), ...(row.lastName ? { lastName: row.lastName } : {}) },
            { importId: record.id },
          );
          return { ...invitation, importId: record.id };
        }),
      );
      const outcomes = await withBackoff(() => putImportedInvitations(invitations));
      for (const row of batch) {
        await settle(row, outcomes.get(row.uid) === 'uid_taken' ? { status: 'failed', code: 'uid_taken', message: taken } : { status: 'invited' });
      }
    });
  }

  await withBackoff(() => putRowErrors(record.tenantId, record.id, pendingErrors));
  timings.writtenAt = Date.now();
  await writeObject(record.reportKey, writeReport(rows, outcomes, record.dryRun), xlsxContentType);
  const now = new Date().toISOString();
  if (!(await withBackoff(() => finishImport(record, claimId, { status: 'completed', counters }, now)))) throw new ClaimLost('Another worker took the import over');
  await withBackoff(() => putAudit(record.tenantId, {
    at: now,
    actor: { kind: 'system' },
    action: 'import.completed',
    target: { type: 'import', id: record.id },
    details: { dryRun: record.dryRun, totalRows: counters.totalRows, invitedCount: counters.invitedCount, failedCount: counters.failedCount },
  }));
  log('info', 'import completed', {
    tenantId: record.tenantId,
    importId: record.id,
    ...counters,
    readMs: timings.parsedAt - timings.startedAt,
    writeMs: timings.writtenAt - timings.parsedAt,
    reportMs: Date.now() - timings.writtenAt,
  });
}

/**
 * Handles one S3 "object created" event for an upload key. Events come at least once: the
 * import is claimed with a condition, so a duplicate finds it taken. An event that finds it
 * held by a worker that has stopped heart-beating (crashed, timed out) takes it over and
 * runs it again; rows that worker already invited count as invited.
 */
export async function importUploadedFile(key: string): Promise<void> {
  const target = importFiles.parseUpload(key);
  if (!target) {
    log('warn', 'ignored an object that is not an import upload', { key });
    return;
  }
  const claimId = randomUUID();
  const staleMs = config.IMPORT_STALE_SECONDS * 1000;
  const tryClaim = () => claimImport(target.tenantId, target.importId, claimId, new Date().toISOString(), new Date(Date.now() - staleMs).toISOString());
  let record = await withBackoff(tryClaim);
  if (!record) {
    const current = await withBackoff(() => getImport(target.tenantId, target.importId));
    if (current?.status !== 'processing') {
      log('info', 'import event ignored', { tenantId: target.tenantId, importId: target.importId, status: current?.status ?? 'unknown' });
      return;
    }
    // Held by another worker: wait past the stale window once; if it still heart-beats, it is alive.
    await new Promise((resolve) => setTimeout(resolve, staleMs + 1000));
    record = await withBackoff(tryClaim);
    if (!record) {
      log('info', 'import is being processed by another worker', { tenantId: target.tenantId, importId: target.importId });
      return;
    }
  }
  log('info', 'import claimed', { tenantId: record.tenantId, importId: record.id, attempt: record.attempts });
  try {
    failWorkerIfAsked(record.id);
    await process(record, claimId);
  } catch (error) {
    if (error instanceof ClaimLost) {
      log('warn', 'import handed over', { importId: record.id });
      return;
    }
    throw error;
  }
}

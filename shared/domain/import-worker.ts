import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { putAudit } from '../db/audit';
import { recordImportFailed } from './job-failures';
import { isStoreUnavailable } from '../db/errors';
import { objectSize, readObject, writeObject } from '../aws/bucket';
import { claimImport, finishImport, getImport, putImportedInvitation, putRowErrors, recordProgress, takenUids, type ImportCounters, type ImportRecord, type RowError } from '../db/imports';
import { getTenant, type TenantRecord } from '../db/tenants';
import { ImportFileError, importLimits, readInvitationRows, type SheetRead, type SheetRow } from '../excel/read';
import { XlsxWriter, xlsxContentType } from '../excel/write';
import { failWorkerIfAsked, importShouldCrash } from '../faults';
import { log } from '../core/logger';
import { withRetries } from '../core/retry';
import { PhaseClock } from '../core/phases';
import { Uid } from '../schemas/invitations';
import { importColumns } from './imports';
import { importFiles } from './import-files';
import { newInvitationRecord, type Inviter } from './invitations';

/** Conditional puts in flight, one a row: enough to keep DynamoDB busy, bounded. */
export const writesInFlight = 64;
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
const withBackoff = <T>(action: () => Promise<T>): Promise<T> => withRetries(action, { attempts: 13, baseMs: 50, maxMs: 5000, retryable: isStoreUnavailable });

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

/**
 * What the import has done so far: each row's outcome, the counters, and the row errors not
 * yet stored. Every 500 rows or every second it stores them and writes the heartbeat, which
 * also proves the claim is still this worker's.
 */
class ImportProgress {
  readonly counters: ImportCounters = { totalRows: 0, processedRows: 0, invitedCount: 0, failedCount: 0 };
  readonly outcomes = new Map<number, RowOutcome>();
  private unsavedErrors: RowError[] = [];
  private savedAt = Date.now();
  private rowsSinceSave = 0;
  private saving = false;

  constructor(
    private readonly record: ImportRecord,
    private readonly claimId: string,
  ) {}

  async settle(row: SheetRow, outcome: RowOutcome): Promise<void> {
    this.outcomes.set(row.row, outcome);
    this.counters.processedRows++;
    if (outcome.status === 'invited') this.counters.invitedCount++;
    else {
      this.counters.failedCount++;
      this.unsavedErrors.push({ row: row.row, uid: row.uid, code: outcome.code, message: outcome.message });
    }
    this.rowsSinceSave++;
    if (importShouldCrash(this.record.id, this.counters.processedRows)) throw Object.assign(new Error('Simulated crash (fault injection)'), { name: 'SimulatedCrash' });
    if (!this.saving && (this.rowsSinceSave >= progressEveryRows || Date.now() - this.savedAt >= progressEveryMs)) await this.save();
  }

  /** Stores the row errors and the counters; one save at a time, the others skip. */
  private async save(): Promise<void> {
    this.saving = true;
    this.rowsSinceSave = 0;
    this.savedAt = Date.now();
    try {
      await this.saveErrors();
      if (!(await withBackoff(() => recordProgress(this.record, this.claimId, { ...this.counters }, new Date().toISOString())))) throw new ClaimLost('Another worker took the import over');
    } finally {
      this.saving = false;
    }
  }

  async saveErrors(): Promise<void> {
    const errors = this.unsavedErrors;
    this.unsavedErrors = [];
    await withBackoff(() => putRowErrors(this.record.tenantId, this.record.id, errors));
  }
}

type Refusal = { code: string; message: string };
const isRefusal = (value: unknown): value is Refusal => typeof value === 'object' && value !== null && 'code' in value && 'message' in value;

/** Step 1: the uploaded file, checked and read into rows (or why the whole file is refused). */
async function readUpload(record: ImportRecord, clock: PhaseClock): Promise<SheetRead | Refusal> {
  const size = await objectSize(record.uploadKey);
  if (size === undefined) return { code: 'upload_missing', message: 'The uploaded file is not there any more.' };
  if (size > importLimits.maxBytes) return { code: 'file_too_large', message: `The file has ${size} bytes; at most ${importLimits.maxBytes} are accepted.` };
  try {
    const bytes = (await readObject(record.uploadKey))!;
    clock.mark('fetch');
    return readInvitationRows(bytes, clock);
  } catch (error) {
    if (error instanceof ImportFileError) return { code: error.code, message: error.message };
    throw error;
  }
}

const takenMessage = 'A user or a pending invitation of this organisation already has this uid.';

/** Step 3: the good rows become invitations, one conditional put each, many in flight; a dry run only looks. */
async function invite(record: ImportRecord, tenant: TenantRecord, good: SheetRow[], progress: ImportProgress): Promise<void> {
  const taken: RowOutcome = { status: 'failed', code: 'uid_taken', message: takenMessage };
  if (record.dryRun) {
    const claimed = await withBackoff(() => takenUids(tenant.id, good.map((row) => row.uid)));
    for (const row of good) await progress.settle(row, claimed.has(row.uid.toLowerCase()) ? taken : { status: 'invited' });
    return;
  }
  const inviter: Inviter = { tenantId: tenant.id, accessCodeTtlDays: tenant.settings.accessCodeTtlDays, userId: record.createdBy };
  await inPool(good, writesInFlight, async (row) => {
    const fields = { uid: row.uid, role: 'member' as const, groupIds: [], ...(row.firstName ? { firstName: row.firstName } : {}), ...(row.lastName ? { lastName: row.lastName } : {}) };
    const { record: invitation } = await newInvitationRecord(inviter, fields, { importId: record.id });
    const outcome = await withBackoff(() => putImportedInvitation({ ...invitation, importId: record.id }));
    await progress.settle(row, outcome === 'uid_taken' ? taken : { status: 'invited' });
  });
}

/** Step 4: the last errors, the report, the final status (if the claim is still ours) and the audit entry. */
async function finish(record: ImportRecord, claimId: string, rows: SheetRow[], progress: ImportProgress, clock: PhaseClock): Promise<void> {
  await progress.saveErrors();
  await writeObject(record.reportKey, writeReport(rows, progress.outcomes, record.dryRun), xlsxContentType);
  clock.mark('report');
  const now = new Date().toISOString();
  const { counters } = progress;
  if (!(await withBackoff(() => finishImport(record, claimId, { status: 'completed', counters, phasesMs: clock.phasesMs }, now)))) throw new ClaimLost('Another worker took the import over');
  const details = { dryRun: record.dryRun, totalRows: counters.totalRows, invitedCount: counters.invitedCount, failedCount: counters.failedCount };
  await withBackoff(() => putAudit(record.tenantId, { at: now, actor: { kind: 'system' }, action: 'import.completed', target: { type: 'import', id: record.id }, details }));
}

/** Read the upload → check the rows → invite → finish; a refused file fails the import whole. */
async function runImport(record: ImportRecord, claimId: string): Promise<void> {
  const progress = new ImportProgress(record, claimId);
  const fail = async ({ code, message }: Refusal) => {
    const now = new Date().toISOString();
    if (await withBackoff(() => finishImport(record, claimId, { status: 'failed', counters: progress.counters, failure: { code, message } }, now))) await withBackoff(() => recordImportFailed(record, code, now));
    log('info', 'import failed', { tenantId: record.tenantId, importId: record.id, failure: code });
  };
  const tenant = await withBackoff(() => getTenant(record.tenantId));
  if (!tenant?.settings.signInWithoutEmail) return fail({ code: 'feature_disabled', message: 'Sign-in without email was switched off before the import ran.' });

  const clock = new PhaseClock();
  const read = await readUpload(record, clock);
  if (isRefusal(read)) return fail(read);
  const { rows } = read;
  progress.counters.totalRows = rows.length;
  const failures = checkRows(rows);
  for (const row of rows) {
    const failure = failures.get(row.row);
    if (failure) await progress.settle(row, failure);
  }
  clock.mark('checks');
  await invite(record, tenant, rows.filter((row) => !failures.has(row.row)), progress);
  clock.mark('writes');
  await finish(record, claimId, rows, progress, clock);
  log('info', 'import completed', { tenantId: record.tenantId, importId: record.id, ...progress.counters, phasesMs: clock.phasesMs });
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
    await runImport(record, claimId);
  } catch (error) {
    if (error instanceof ClaimLost) {
      log('warn', 'import handed over', { importId: record.id });
      return;
    }
    throw error;
  }
}

import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { putAudit } from '../db/audit';
import { recordImportFailed } from './job-failures';
import { isStoreUnavailable } from '../db/errors';
import { objectSize, readObject, writeObject } from '../aws/bucket';
import { claimImport, claimsOf, finishImport, getImport, importChanges, noCounts, putImportedInvitation, putRowErrors, recordProgress, type ImportChange, type ImportRecord, type ImportState, type RowError } from '../db/imports';
import { defaultGroupIds, getGroupNames, groupNameKey } from '../db/groups';
import { getTenant, type TenantRecord } from '../db/tenants';
import { ImportFileError, importLimits, readInvitationRows, type SheetRead, type SheetRow } from '../excel/read';
import { XlsxWriter, xlsxContentType } from '../excel/write';
import { failWorkerIfAsked, importShouldCrash } from '../faults';
import { appendLogKeys, log } from '../core/logger';
import { addMetric, countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { withRetries } from '../core/retry';
import { PhaseClock } from '../core/phases';
import { Uid } from '../schemas/invitations';
import { importColumns } from './imports';
import { importFiles } from './import-files';
import { newInvitationRecord, type Inviter } from './invitations';
import { carryOutRemoval, planRemovals, removalsDone, settleHeldRow, type HeldOutcome, type Removal, type SyncContext, type Wanted } from './import-sync';

/** Conditional puts in flight, one a row: enough to keep DynamoDB busy, bounded. */
export const writesInFlight = 64;
/** Deactivations and revocations in flight: each is a transaction of three or four items. */
const removalsInFlight = 16;
const progressEveryRows = 500;
const progressEveryMs = 1000;

/**
 * A sync refuses to take out more than this share of the people it manages (when that is at
 * least `atLeast` people) unless the import was created with allowMassRemoval: a wrong file
 * (another site's, a half export) would otherwise deactivate a workforce.
 */
export const massRemoval = { share: 0.5, atLeast: 10 } as const;

type RowOutcome = { status: 'invited' } | HeldOutcome;
type Failure = RowOutcome & { status: 'failed' };

class ClaimLost extends Error {
  override readonly name = 'ClaimLost';
}

const folded = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase();
const roles = new Map<string, 'member' | 'guest'>([['', 'member'], ['member', 'member'], ['membre', 'member'], ['guest', 'guest'], ['invite', 'guest']]);

/** The role a cell names (case and accents ignored; empty is member), or undefined. */
export const roleOf = (text: string): 'member' | 'guest' | undefined => roles.get(folded(text));

/** The group names of a cell (separated by ";" or ","), as ids, or the names that match no group. */
export function groupIdsOf(text: string, groupsByName: ReadonlyMap<string, string>): { ids: string[] } | { unknown: string[] } {
  const names = text.split(/[;,]/).map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !groupsByName.has(groupNameKey(name)));
  return unknown.length > 0 ? { unknown } : { ids: [...new Set(names.map((name) => groupsByName.get(groupNameKey(name))!))] };
}

/** The checks that need no write: uid rules, names, duplicates inside the file, role, groups (by the group directory read once). */
export function checkRows(rows: SheetRow[], groupsByName: ReadonlyMap<string, string> = new Map()): Map<number, Failure> {
  const failures = new Map<number, Failure>();
  const firstRowOfUid = new Map<string, number>();
  const fail = (row: SheetRow, code: string, message: string) => failures.set(row.row, { status: 'failed', code, message });
  for (const row of rows) {
    if (!Uid.safeParse(row.uid).success) {
      fail(row, 'invalid_uid', row.uid === '' ? 'The uid is empty.' : 'A uid is 1 to 64 ASCII letters and digits.');
      continue;
    }
    if (row.firstName.length > 100 || row.lastName.length > 100) {
      fail(row, 'name_too_long', 'A first or last name has at most 100 characters.');
      continue;
    }
    const first = firstRowOfUid.get(row.uid.toLowerCase());
    if (first !== undefined) {
      fail(row, 'duplicate_in_file', `The uid is already on row ${first} of this file.`);
      continue;
    }
    firstRowOfUid.set(row.uid.toLowerCase(), row.row);
    if (roleOf(row.role) === undefined) {
      fail(row, 'invalid_role', `The role "${row.role}" is neither member nor guest.`);
      continue;
    }
    const groups = groupIdsOf(row.groups, groupsByName);
    if ('unknown' in groups) fail(row, 'unknown_group', `No group of this organisation is named ${groups.unknown.map((name) => `"${name}"`).join(', ')}.`);
  }
  return failures;
}

/** What a good row asks for. */
function wantedOf(row: SheetRow, groupsByName: ReadonlyMap<string, string>): Wanted {
  const groups = groupIdsOf(row.groups, groupsByName);
  return { role: roleOf(row.role)!, groupIds: 'ids' in groups ? groups.ids : [], ...(row.firstName ? { firstName: row.firstName } : {}), ...(row.lastName ? { lastName: row.lastName } : {}) };
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

const statusText = (outcome: RowOutcome | undefined, dryRun: boolean) => {
  const status = outcome?.status ?? 'failed';
  return dryRun && (status === 'invited' || status === 'updated') ? `would be ${status}` : status;
};
const reasonText = (outcome: RowOutcome | undefined) => (outcome === undefined || outcome.status === 'invited' ? '' : outcome.status === 'failed' ? outcome.message : outcome.reason);

/**
 * The report: the rows as uploaded with their outcome (ready to fix and upload again); then
 * who was (or would be) deactivated or revoked; then the file's columns that matched nothing.
 */
function writeReport(rows: SheetRow[], outcomes: Map<number, RowOutcome>, removals: readonly Removal[], ignoredColumns: readonly string[], dryRun: boolean): Uint8Array {
  const writer = new XlsxWriter('Report', [...importColumns.en, 'status', 'reason']);
  for (const row of rows) {
    const outcome = outcomes.get(row.row);
    writer.addRow([row.uid, row.firstName, row.lastName, row.role, row.groups, statusText(outcome, dryRun), reasonText(outcome)]);
  }
  writer.addSheet('Deactivated or revoked', ['uid', 'sign-in identifier', 'name', 'what']);
  for (const removal of removals) writer.addRow([removal.uid, removal.signInIdentifier, removal.name, dryRun ? `would be ${removal.what}` : removal.what]);
  writer.addSheet('Ignored columns', ['ignored column']);
  for (const column of ignoredColumns) writer.addRow([column]);
  return writer.finish();
}

/**
 * What the import has done so far: each row's outcome, the counters, and the row errors not
 * yet stored. Every 500 rows or every second it stores them and writes the heartbeat, which
 * also proves the claim is still this worker's.
 */
class ImportProgress {
  readonly state: ImportState = { ...noCounts(), ignoredColumns: [] };
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
    this.state.processedRows++;
    const counter = ({ invited: 'invitedCount', unchanged: 'unchangedCount', updated: 'updatedCount', failed: 'failedCount' } as const)[outcome.status];
    this.state[counter]++;
    if (outcome.status === 'failed') this.unsavedErrors.push({ row: row.row, uid: row.uid, code: outcome.code, message: outcome.message });
    this.rowsSinceSave++;
    if (importShouldCrash(this.record.id, this.state.processedRows)) throw Object.assign(new Error('Simulated crash (fault injection)'), { name: 'SimulatedCrash' });
    await this.saveIfDue();
  }

  /** Saves when 500 rows or a second have passed: also the heartbeat of work that settles no row (a sync's removals). */
  async saveIfDue(): Promise<void> {
    if (!this.saving && (this.rowsSinceSave >= progressEveryRows || Date.now() - this.savedAt >= progressEveryMs)) await this.save();
  }

  /** Stores the row errors and the counters; one save at a time, the others skip. */
  private async save(): Promise<void> {
    this.saving = true;
    this.rowsSinceSave = 0;
    this.savedAt = Date.now();
    try {
      await this.saveErrors();
      if (!(await withBackoff(() => recordProgress(this.record, this.claimId, { ...this.state }, new Date().toISOString())))) throw new ClaimLost('Another worker took the import over');
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

interface Planned {
  row: SheetRow;
  wanted: Wanted;
}

/**
 * Step 3: the good rows. A new uid becomes an invitation (one conditional put each, many in
 * flight); a uid someone already holds is settled by settleHeldRow. A dry run only reads.
 */
async function inviteOrSync(context: SyncContext, tenant: TenantRecord, good: Planned[], progress: ImportProgress): Promise<void> {
  const { record } = context;
  if (record.dryRun) {
    const claims = await withBackoff(() => claimsOf(tenant.id, good.map(({ row }) => row.uid)));
    await inPool(good, writesInFlight, async ({ row, wanted }) => {
      const claim = claims.get(row.uid.toLowerCase());
      await progress.settle(row, claim ? await withBackoff(() => settleHeldRow(context, claim, wanted)) : { status: 'invited' });
    });
    return;
  }
  const inviter: Inviter = { tenantId: tenant.id, accessCodeTtlDays: tenant.settings.accessCodeTtlDays, userId: record.createdBy };
  await inPool(good, writesInFlight, async ({ row, wanted }) => {
    const { record: invitation } = await newInvitationRecord(inviter, { uid: row.uid, ...wanted }, { importId: record.id });
    const put = await withBackoff(() => putImportedInvitation({ ...invitation, importId: record.id }));
    await progress.settle(row, put.outcome === 'invited' ? { status: 'invited' } : await withBackoff(() => settleHeldRow(context, put.claim, wanted)));
  });
}

/** Step 2 of a sync: who is not in the file, refused whole past the mass-removal safety, then deactivated and revoked (not on a dry run). */
async function removeAbsent(context: SyncContext, rows: SheetRow[], progress: ImportProgress): Promise<Removal[] | Refusal> {
  const { record } = context;
  const inFile = new Set(rows.filter((row) => Uid.safeParse(row.uid).success).map((row) => row.uid.toLowerCase()));
  const { removals, managed } = await withBackoff(() => planRemovals(context, inFile));
  const total = removals.length + [...context.done.values()].filter((change) => change.what !== 'updated').length;
  if (!record.dryRun && !record.allowMassRemoval && total >= massRemoval.atLeast && total > managed * massRemoval.share) {
    return {
      code: 'sync_removes_too_many',
      message: `This file would deactivate or revoke ${total} of the ${managed} people the sync manages (more than half); nothing was changed. Check the file, or create the import with allowMassRemoval.`,
    };
  }
  if (!record.dryRun) {
    await inPool(removals, removalsInFlight, async (removal) => {
      await withBackoff(() => carryOutRemoval(context, removal));
      await progress.saveIfDue();
    });
  }
  return removals;
}

/** Step 4: the last errors, the report, the final status (if the claim is still ours) and the audit entry. */
async function finish(record: ImportRecord, claimId: string, rows: SheetRow[], removals: readonly Removal[], progress: ImportProgress, clock: PhaseClock): Promise<void> {
  await progress.saveErrors();
  const { state } = progress;
  state.deactivatedCount = removals.filter((removal) => removal.what === 'deactivated').length;
  state.revokedCount = removals.filter((removal) => removal.what === 'revoked').length;
  await writeObject(record.reportKey, writeReport(rows, progress.outcomes, removals, state.ignoredColumns, record.dryRun), xlsxContentType);
  clock.mark('report');
  const now = new Date().toISOString();
  if (!(await withBackoff(() => finishImport(record, claimId, { status: 'completed', state, phasesMs: clock.phasesMs }, now)))) throw new ClaimLost('Another worker took the import over');
  countMetric(metricNames.importsCompleted);
  countMetric(metricNames.importRows, state.totalRows);
  if (record.claimedAt) addMetric(metricNames.importDuration, 'Milliseconds', Date.parse(now) - Date.parse(record.claimedAt));
  const { ignoredColumns: _ignored, processedRows: _processed, ...counts } = state;
  const details = { dryRun: record.dryRun, mode: record.mode, ...counts };
  await withBackoff(() => putAudit(record.tenantId, { at: now, actor: { kind: 'system' }, action: 'import.completed', target: { type: 'import', id: record.id }, details }));
}

/** Read the upload → check the rows → (sync: take out who is not in the file) → invite or update → finish; a refused file fails the import whole. */
async function runImport(record: ImportRecord, claimId: string): Promise<void> {
  const progress = new ImportProgress(record, claimId);
  const fail = async ({ code, message }: Refusal) => {
    const now = new Date().toISOString();
    if (await withBackoff(() => finishImport(record, claimId, { status: 'failed', state: progress.state, failure: { code, message } }, now))) {
      countMetric(metricNames.importsFailed);
      await withBackoff(() => recordImportFailed(record, code, now));
    }
    log('info', 'import failed', { failure: code });
  };
  const tenant = await withBackoff(() => getTenant(record.tenantId));
  if (!tenant?.settings.signInWithoutEmail) return fail({ code: 'feature_disabled', message: 'Sign-in without email was switched off before the import ran.' });

  const clock = new PhaseClock();
  const read = await readUpload(record, clock);
  if (isRefusal(read)) return fail(read);
  const { rows } = read;
  progress.state.totalRows = rows.length;
  progress.state.ignoredColumns = read.ignoredColumns;
  const sync = record.mode === 'sync';
  const [groupNames, defaults, done] = await Promise.all([
    withBackoff(() => getGroupNames(tenant.id)),
    sync ? withBackoff(() => defaultGroupIds(tenant.id)) : [],
    sync && !record.dryRun ? withBackoff(() => importChanges(tenant.id, record.id)) : new Map<string, ImportChange>(),
  ]);
  const groupsByName = new Map([...groupNames].map(([id, name]) => [groupNameKey(name), id]));
  const context: SyncContext = { record, domain: tenant.domain, defaultGroupIds: new Set(defaults), done };
  const failures = checkRows(rows, groupsByName);
  clock.mark('checks');
  const planned = sync ? await removeAbsent(context, rows, progress) : [];
  if (isRefusal(planned)) return fail(planned);
  clock.mark('removals');
  for (const row of rows) {
    const failure = failures.get(row.row);
    if (failure) await progress.settle(row, failure);
  }
  await inviteOrSync(context, tenant, rows.filter((row) => !failures.has(row.row)).map((row) => ({ row, wanted: wantedOf(row, groupsByName) })), progress);
  clock.mark('writes');
  // A real run counts what every run of it did (the change records); a dry run what it found.
  const removals = sync && !record.dryRun ? await withBackoff(async () => removalsDone(context, await importChanges(tenant.id, record.id), planned)) : planned;
  await finish(record, claimId, rows, removals, progress, clock);
  log('info', 'import completed', { ...progress.state, phasesMs: clock.phasesMs });
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
  appendLogKeys(target);
  const claimId = randomUUID();
  const staleMs = config.IMPORT_STALE_SECONDS * 1000;
  const tryClaim = () => claimImport(target.tenantId, target.importId, claimId, new Date().toISOString(), new Date(Date.now() - staleMs).toISOString());
  let record = await withBackoff(tryClaim);
  if (!record) {
    const current = await withBackoff(() => getImport(target.tenantId, target.importId));
    if (current?.status !== 'processing') {
      log('info', 'import event ignored', { status: current?.status ?? 'unknown' });
      return;
    }
    // Held by another worker: wait past the stale window once; if it still heart-beats, it is alive.
    await new Promise((resolve) => setTimeout(resolve, staleMs + 1000));
    record = await withBackoff(tryClaim);
    if (!record) {
      log('info', 'import is being processed by another worker');
      return;
    }
  }
  log('info', 'import claimed', { attempt: record.attempts });
  // Counted by the first claim only: a taken-over import started once.
  if (record.attempts === 1) countMetric(metricNames.importsStarted);
  try {
    failWorkerIfAsked(record.id);
    await runImport(record, claimId);
  } catch (error) {
    if (error instanceof ClaimLost) {
      log('warn', 'import handed over');
      return;
    }
    throw error;
  }
}

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { letterRunEnds, letterRunStarts } from './tenants';
import { transactWrite } from './transactions';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { jobActor, type AuditEntry, type CreatedByKey } from './audit';
import { finishJob, type JobOutcome } from './jobs';
import { batchGetAll } from './batch';
import { listInvitations, toInvitation, type InvitationFilter, type InvitationRecord } from './invitations';

export interface LetterSelection {
  invitationIds?: string[];
  filter?: { importId?: string; role?: 'member' | 'guest'; uidPrefix?: string };
}

export interface LetterRunRecord {
  id: string;
  tenantId: string;
  kind: 'letters';
  layout: 'letter' | 'cards';
  language: 'en' | 'fr';
  selection: LetterSelection;
  status: 'running' | 'completed' | 'failed';
  fileKey: string;
  createdAt: string;
  createdBy: string;
  /** Who asked, as the audit log names them (the worker writes the run's completion as theirs). */
  createdByIdentifier: string;
  createdByKey?: CreatedByKey;
  count?: number;
  pages?: number;
  completedAt?: string;
  failure?: { code: string; message: string };
}

/** Records a new run, counted among the tenant's runs under way: 'too_many' past `limit`. */
export async function putLetterRun(record: LetterRunRecord, limit: number): Promise<'started' | 'too_many'> {
  const failed = await transactWrite([
    { Put: { TableName: tableName, Item: { ...keys.letterRun(record.tenantId, record.id), type: 'letterRun', ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
    letterRunStarts(record.tenantId, limit),
  ]);
  return failed.size === 0 ? 'started' : 'too_many';
}

export async function getLetterRun(tenantId: string, runId: string): Promise<LetterRunRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.letterRun(tenantId, runId), ConsistentRead: true }));
  return Item ? recordOf<LetterRunRecord>(Item) : undefined;
}

/**
 * Finishes the run and, in the same transaction, records it in the audit log as the act of
 * the admin who asked (letters.completed or letters.failed, with the count): exactly once,
 * whether the worker or the failure destination finishes it; the tenant counts one run fewer
 * under way. Answers whether this call did.
 */
export function finishLetterRun(record: Pick<LetterRunRecord, 'tenantId' | 'id' | 'layout' | 'createdBy' | 'createdByIdentifier' | 'createdByKey'>, outcome: JobOutcome): Promise<boolean> {
  const entry: AuditEntry = {
    at: new Date().toISOString(),
    actor: jobActor(record.createdBy, record.createdByIdentifier, record.createdByKey),
    action: outcome.status === 'completed' ? 'letters.completed' : 'letters.failed',
    target: { type: 'letters', id: record.id },
    details: { layout: record.layout, count: outcome.count, ...(outcome.failure ? { code: outcome.failure.code } : {}), ...(outcome.extra ?? {}) },
  };
  return finishJob(keys.letterRun(record.tenantId, record.id), outcome, { tenantId: record.tenantId, entry }, [letterRunEnds(record.tenantId)]);
}

/**
 * The pending invitations a filter selects, page by page in uid order. The listing index
 * finds them (one made a moment ago may be missing); each page is then read again from the
 * table, consistently, so that a code regenerated a moment ago prints as it is now, and one
 * accepted or revoked since prints not at all.
 */
export async function* pendingInvitations(tenantId: string, filter: NonNullable<LetterSelection['filter']>, now: string): AsyncGenerator<InvitationRecord[]> {
  // A lagging index may show one invitation under two keys for a moment: each prints once.
  const printed = new Set<string>();
  for await (const page of listedPendingInvitations(tenantId, filter, now)) {
    const listed = page.filter((invitation) => !printed.has(invitation.id) && printed.add(invitation.id));
    const uids = [...new Set(listed.map((invitation) => invitation.uid.toLowerCase()))];
    const current = new Map((await batchGetAll(uids.map((uid) => keys.uidClaim(tenantId, uid)), { consistent: true })).map((item) => [item.id, item]));
    yield listed.flatMap((invitation) => {
      const item = current.get(invitation.id);
      if (item?.type !== 'invitation') return [];
      const fresh = toInvitation(item);
      return fresh.status === 'pending' && fresh.expiresAt > now ? [fresh] : [];
    });
  }
}

/** The same, as the listing index has them (enough to count them). */
export async function* listedPendingInvitations(tenantId: string, filter: NonNullable<LetterSelection['filter']>, now: string): AsyncGenerator<InvitationRecord[]> {
  const listingFilter: InvitationFilter = { status: 'pending', ...(filter.role ? { role: filter.role } : {}), ...(filter.uidPrefix ? { uidPrefix: filter.uidPrefix } : {}), ...(filter.importId ? { importId: filter.importId } : {}) };
  let cursor: string | undefined;
  do {
    const page = await listInvitations(tenantId, listingFilter, { limit: 100, ...(cursor ? { cursor } : {}) }, now);
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Invitations by id, read where each one's uid says it may be, in one consistent BatchGet; missing ones are left out. */
export async function invitationsByIds(tenantId: string, ids: { id: string; uid: string }[]): Promise<InvitationRecord[]> {
  const wanted = new Set(ids.map(({ id }) => id));
  const keyList = new Map(
    ids
      .flatMap(({ id, uid }) => keys.invitationPlaces(tenantId, uid, id))
      .map((key) => [`${key.pk}\n${key.sk}`, key]),
  );
  // Two invitations of one uid share its claim's key; BatchGet refuses a key named twice.
  const items = await batchGetAll([...keyList.values()], { consistent: true });
  const byId = new Map(items.filter((item) => item.type === 'invitation' && wanted.has(item.id as string)).map((item) => [item.id as string, toInvitation(item)]));
  return ids.map(({ id }) => byId.get(id)).filter((invitation): invitation is InvitationRecord => invitation !== undefined);
}

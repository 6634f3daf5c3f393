import type { Context } from 'aws-lambda';
import { config } from '../config';
import { invokeInBackground } from '../aws/invoke';
import { deleteObjects, objectKeysUnder } from '../aws/bucket';
import { liveApiKeyIds } from '../db/api-keys';
import { batchDeleteAll } from '../db/batch';
import { keys, type Key } from '../db/keys';
import { addProgress, deleteClaimOf, deleteItem, finishDeletion, getDeletion, keysUnder, listed, setStep, settleUntil, type DeletionRecord } from '../db/tenant-deletion';
import { log } from '../core/logger';
import { sweepFaultsAt } from '../faults';
import { tenantFilePrefixes } from './tenant-files';
import { keptUntil } from './tenant-deletion';

/** A run stops taking pages this long before its Lambda timeout and hands on to a new invocation. */
export const reserveMs = 60_000;

/** One sweep run: the tenant, its deletion, and whether there is time for another page. */
class Run {
  constructor(
    readonly record: DeletionRecord,
    private readonly timeLeft: () => number,
  ) {}

  get tenantId() {
    return this.record.tenantId;
  }

  get outOfTime() {
    return this.timeLeft() < reserveMs;
  }

  async counted(items: number, objects = 0): Promise<void> {
    if (items > 0 || objects > 0) await addProgress(this.tenantId, items, objects, new Date().toISOString());
  }

  async deleteKeys(list: readonly Key[]): Promise<void> {
    await batchDeleteAll(list);
    await this.counted(list.length);
  }

  /** Everything under one partition key (read consistently, so what is counted was there). Answers false when out of time. */
  async sweepPartition(pk: string, keep: (sk: string) => boolean = () => false): Promise<boolean> {
    for await (const page of keysUnder(pk)) {
      await this.deleteKeys(page.map(toKey).filter((key) => !keep(key.sk)));
      if (this.outOfTime) return false;
    }
    return true;
  }
}

const toKey = (item: Record<string, unknown>): Key => ({ pk: item.pk as string, sk: item.sk as string });

/** The API keys first: a key opens the admin routes with one read of its own item, whatever the tenant item says. */
async function apiKeys(run: Run): Promise<boolean> {
  for (const keyId of await liveApiKeyIds(run.tenantId)) if (!(await run.sweepPartition(keys.apiKey(run.tenantId, keyId).pk))) return false;
  return true;
}

/** Each user's email claim, its uid's claim and archived invitations, then the user alone with its sessions (so every token stops working). */
async function users(run: Run): Promise<boolean> {
  for (const shard of keys.userListingShards(run.tenantId)) {
    for await (const page of listed(shard)) {
      for (const user of page) {
        // The user item goes last: it alone lists the user (gsi2), so a run that stops after it could not find the claims again.
        if (typeof user.email === 'string' && (await deleteClaimOf(keys.emailClaim(user.email), run.tenantId))) await run.counted(1);
        if (typeof user.uid === 'string' && !(await run.sweepPartition(keys.uidClaim(run.tenantId, user.uid).pk))) return false;
        if (!(await run.sweepPartition(user.pk as string))) return false;
      }
      if (run.outOfTime) return false;
    }
  }
  return true;
}

/** Every invitation's uid partition: pending claims (and their access codes, on gsi1), accepted and revoked ones. */
async function invitations(run: Run): Promise<boolean> {
  for (const shard of keys.invitationListingShards(run.tenantId)) {
    for await (const page of listed(shard)) {
      for (const invitation of page) if (!(await run.sweepPartition(invitation.pk as string))) return false;
      if (run.outOfTime) return false;
    }
  }
  return true;
}

/**
 * The tenant's own partition but the tenant item (groups, the group directory and name claims,
 * import, export and letter jobs); each import's row errors and changes before the import.
 */
async function tenantPartition(run: Run): Promise<boolean> {
  const importPrefix = 'IMPORT#';
  for await (const page of keysUnder(keys.tenantPartition(run.tenantId))) {
    const found = page.map(toKey).filter((key) => key.sk !== keys.tenant(run.tenantId).sk);
    for (const { sk } of found.filter((key) => key.sk.startsWith(importPrefix))) {
      const importId = sk.slice(importPrefix.length);
      for (const pk of [...keys.importErrorShards(run.tenantId, importId), ...keys.importChangeShards(run.tenantId, importId)]) {
        if (!(await run.sweepPartition(pk))) return false;
      }
    }
    await run.deleteKeys(found);
    if (run.outOfTime) return false;
  }
  return true;
}

async function audit(run: Run): Promise<boolean> {
  for (const pk of keys.auditShards(run.tenantId)) if (!(await run.sweepPartition(pk))) return false;
  return true;
}

/** Uploads and reports, exports and letters: every object under the tenant's prefixes. */
async function files(run: Run): Promise<boolean> {
  for (const prefix of tenantFilePrefixes(run.tenantId)) {
    for await (const page of objectKeysUnder(prefix)) {
      await deleteObjects(page);
      await run.counted(0, page.length);
      if (run.outOfTime) return false;
    }
  }
  return true;
}

/** Waits until every request that could have been in flight during the first pass has ended. */
async function settle(run: Run): Promise<boolean> {
  const until = await settleUntil(run.tenantId, new Date(Date.now() + config.TENANT_SWEEP_SETTLE_SECONDS * 1000).toISOString());
  const waitMs = Date.parse(until) - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  return true;
}

/** The tenant item, then its domain claim: the domain is free only once everything else is gone. */
async function last(run: Run): Promise<boolean> {
  if (await deleteItem(keys.tenant(run.tenantId))) await run.counted(1);
  if (await deleteClaimOf(keys.domainClaim(run.record.domain), run.tenantId)) await run.counted(1);
  const now = new Date();
  await finishDeletion(run.tenantId, now.toISOString(), keptUntil(now));
  return true;
}

const firstPass = [apiKeys, users, invitations, tenantPartition, audit, files];
/** Both passes in order; a deletion record's `step` is an index into this list. */
export const sweepSteps = [...firstPass, settle, ...firstPass, last];

/**
 * Sweeps a tenant being deleted, from the step its record says, in pages. A run that nears its
 * timeout invokes the worker again and ends; a run that fails is retried by Lambda and starts
 * its step again (deleting what is gone already is no error).
 */
export async function sweepTenant(tenantId: string, context?: Pick<Context, 'getRemainingTimeInMillis' | 'functionName'>): Promise<void> {
  const record = await getDeletion(tenantId);
  if (!record || record.status === 'deleted') {
    log('info', 'tenant sweep event ignored', { tenantId, status: record?.status ?? 'unknown' });
    return;
  }
  const run = new Run(record, () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY);
  for (let step = record.step; step < sweepSteps.length; step++) {
    await sweepFaultsAt(tenantId, step);
    if (!(await sweepSteps[step]!(run))) {
      await invokeInBackground(context?.functionName ?? config.TENANT_SWEEP_FUNCTION_NAME, { tenantId });
      log('info', 'tenant sweep continues in a new invocation', { tenantId, step });
      return;
    }
    await setStep(tenantId, step + 1, new Date().toISOString());
  }
  log('info', 'tenant deleted', { tenantId });
}

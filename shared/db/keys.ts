/**
 * Every key of the single table is built here. The physical attributes are generic
 * (pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk); the access patterns give them meaning.
 *
 * Layout v2 spreads a tenant: on DynamoDB one partition key takes at most 1,000 write and
 * 3,000 read units a second, so nothing written per person, per row or per event shares a
 * key across the tenant. Each user, each uid claim and each import's row errors have their
 * own partition key; tenant-wide listings live on gsi2 in `listingShards` collections chosen
 * by a hash; the audit log is written across `auditShards` keys. The README's "Table layout"
 * gives the reason for each key.
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Access codes: keys only, the claim is read again from the table. */
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'KEYS_ONLY' } },
  /** Tenant-wide listings (users, invitations), sharded; only what listings and the export read is projected. */
  gsi2: {
    name: 'gsi2',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    projection: {
      type: 'INCLUDE',
      attributes: [
        'type', 'id', 'tenantId', 'uid', 'email', 'role', 'status', 'firstName', 'lastName', 'groupIds', 'createdAt', 'createdBy',
        'expiresAt', 'codeCiphertext', 'acceptedAt', 'userId', 'revokedAt', 'importId', 'lastSignInDate',
      ],
    },
  },
  ttlAttribute: 'ttl',
} as const;

/** Which key layout this code writes: the capacity run labels its traces with it. */
export const tableLayout = 'v2';

export type Key = { pk: string; sk: string };
export type ArchivedAs = 'REVOKED' | 'ACCEPTED';
export type ListingKey = { gsi2pk: string; gsi2sk: string };

/** Listings and the audit log are spread over this many keys: 8,000 WCU/s of headroom each, 8 queries a merged page. */
export const listingShards = 8;
export const auditShards = 8;
export const rowErrorShards = 8;

/** FNV-1a: a stable, even spread of strings over shards (not a secret, not a security boundary). */
export function shardOf(value: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

const shardNumbers = (shards: number) => Array.from({ length: shards }, (_, shard) => shard);
const tenantPk = (tenantId: string) => `T#${tenantId}`;
/** A partition key of the tenant's own, for one thing of the tenant. */
const ofTenant = (tenantId: string, rest: string) => `T#${tenantId}#${rest}`;
const usersListingPk = (tenantId: string, shard: number) => ofTenant(tenantId, `USERS#${shard}`);
const invitationsListingPk = (tenantId: string, shard: number) => ofTenant(tenantId, `INVITATIONS#${shard}`);
const auditPk = (tenantId: string, shard: number) => ofTenant(tenantId, `AUDIT#${shard}`);
const rowErrorsPk = (tenantId: string, importId: string, shard: number) => ofTenant(tenantId, `IMPORT#${importId}#E#${shard}`);
const importChangesPk = (tenantId: string, importId: string, shard: number) => ofTenant(tenantId, `IMPORT#${importId}#C#${shard}`);

export const keys = {
  /** The tenant's own partition: the tenant, its groups, its import, export and letter jobs (all written by admins, rarely). */
  tenant: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'TENANT' }),
  domainClaim: (domain: string): Key => ({ pk: `DOMAIN#${domain}`, sk: 'DOMAIN' }),
  emailClaim: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' }),
  /** Each user alone: sign-ins write here, so one person's traffic never meets another's. */
  user: (tenantId: string, userId: string): Key => ({ pk: ofTenant(tenantId, `U#${userId}`), sk: 'USER' }),
  /** Where a user shows in the tenant's user list (on gsi2), sorted by sign-in identifier. */
  userListing: (tenantId: string, identifier: string): ListingKey => ({
    gsi2pk: usersListingPk(tenantId, shardOf(identifier.toLowerCase(), listingShards)),
    gsi2sk: identifier.toLowerCase(),
  }),
  userListingShards: (tenantId: string): string[] => shardNumbers(listingShards).map((shard) => usersListingPk(tenantId, shard)),
  userListingPrefix: (identifierPrefix = '') => identifierPrefix.toLowerCase(),
  /** An API key alone, under its id: each request with it reads and writes only this item. */
  apiKey: (tenantId: string, keyId: string): Key => ({ pk: ofTenant(tenantId, `K#${keyId}`), sk: 'APIKEY' }),
  group: (tenantId: string, groupId: string): Key => ({ pk: tenantPk(tenantId), sk: `GROUP#${groupId}` }),
  groupPrefix: 'GROUP#',
  /** Every group's name in one item, so that GET /v1/me reads user and group names in one round trip. */
  groupDirectory: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'GROUPDIR' }),
  groupNameClaim: (tenantId: string, nameKey: string): Key => ({ pk: tenantPk(tenantId), sk: `GROUPNAME#${nameKey}` }),
  /** The uid claim, alone under its uid: the pending invitation itself, or after sign-up the accepted invitation pointing to its user. */
  uidClaim: (tenantId: string, uid: string): Key => ({ pk: ofTenant(tenantId, `UID#${uid.toLowerCase()}`), sk: 'CLAIM' }),
  /**
   * An invitation that left its uid claim stays beside it, under the same uid: revoked, or
   * accepted by a user who was later given another uid (the claim moved with the user).
   */
  archivedInvitation: (tenantId: string, uid: string, invitationId: string, as: ArchivedAs): Key => ({ pk: ofTenant(tenantId, `UID#${uid.toLowerCase()}`), sk: `${as}#${invitationId}` }),
  /** Every place an invitation of this uid may be: its claim while pending (or accepted in place), or archived beside it. */
  invitationPlaces: (tenantId: string, uid: string, invitationId: string): Key[] => [
    keys.uidClaim(tenantId, uid),
    keys.archivedInvitation(tenantId, uid, invitationId, 'REVOKED'),
    keys.archivedInvitation(tenantId, uid, invitationId, 'ACCEPTED'),
  ],
  /** Where an invitation shows in the tenant's invitation list (on gsi2): by uid, an archived one right after its uid. */
  invitationListing: (tenantId: string, uid: string, archived?: { id: string; as: ArchivedAs }): ListingKey => ({
    gsi2pk: invitationsListingPk(tenantId, shardOf(uid.toLowerCase(), listingShards)),
    gsi2sk: archived === undefined ? uid.toLowerCase() : `${uid.toLowerCase()}#${archived.as}#${archived.id}`,
  }),
  invitationListingShards: (tenantId: string): string[] => shardNumbers(listingShards).map((shard) => invitationsListingPk(tenantId, shard)),
  invitationListingPrefix: (uidPrefix = '') => uidPrefix.toLowerCase(),
  codeIndex: (codeHash: string) => ({ gsi1pk: `CODE#${codeHash}`, gsi1sk: 'CODE' }),
  /** A user's pending password reset code, found by its hash on gsi1 like an access code. */
  resetCodeIndex: (codeHash: string) => ({ gsi1pk: `RESET#${codeHash}`, gsi1sk: 'RESET' }),
  import: (tenantId: string, importId: string): Key => ({ pk: tenantPk(tenantId), sk: `IMPORT#${importId}` }),
  /** Row errors of one import, spread by row over `rowErrorShards` keys of that import's own. */
  importError: (tenantId: string, importId: string, row: number): Key => ({ pk: rowErrorsPk(tenantId, importId, row % rowErrorShards), sk: String(row).padStart(7, '0') }),
  importErrorShards: (tenantId: string, importId: string): string[] => shardNumbers(rowErrorShards).map((shard) => rowErrorsPk(tenantId, importId, shard)),
  /** What a sync import changed about one person (updated, deactivated, revoked), written with the change: a rerun counts it once. */
  importChange: (tenantId: string, importId: string, uid: string): Key => ({ pk: importChangesPk(tenantId, importId, shardOf(uid.toLowerCase(), rowErrorShards)), sk: uid.toLowerCase() }),
  importChangeShards: (tenantId: string, importId: string): string[] => shardNumbers(rowErrorShards).map((shard) => importChangesPk(tenantId, importId, shard)),
  export: (tenantId: string, exportId: string): Key => ({ pk: tenantPk(tenantId), sk: `EXPORT#${exportId}` }),
  letterRun: (tenantId: string, runId: string): Key => ({ pk: tenantPk(tenantId), sk: `LETTERS#${runId}` }),
  /** A brute-force counter: its fixed window's number, or SEQ for failures since the last success. */
  throttle: (name: string, window: string): Key => ({ pk: `RL#${name}`, sk: window }),
  /** Audit entries: sorted by time within each of `auditShards` keys, the shard chosen by the entry's id. */
  audit: (tenantId: string, at: string, id: string): Key => ({ pk: auditPk(tenantId, shardOf(id, auditShards)), sk: `${at}#${id}` }),
  auditShards: (tenantId: string): string[] => shardNumbers(auditShards).map((shard) => auditPk(tenantId, shard)),
  tenantPartition: tenantPk,
  /** An organisation's deletion and its progress: outside the tenant's keys, so that the sweep leaves it (it expires by TTL). */
  tenantDeletion: (tenantId: string): Key => ({ pk: `DELETION#${tenantId}`, sk: 'DELETION' }),
  /** Every partition key of a tenant is the tenant's own or starts with this. */
  tenantKeyPrefix: (tenantId: string) => `${tenantPk(tenantId)}#`,
} as const;

/** An item without its key, index and type attributes: the record the rest of the code sees. */
export function recordOf<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, gsi2pk: _gsi2pk, gsi2sk: _gsi2sk, type: _type, ...record } = item;
  return record as T;
}

/** Seconds since the epoch, the unit DynamoDB's TTL reads. */
export const ttlFrom = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Every key of the single table is built here. The physical attributes are generic
 * (pk, sk, gsi1pk, gsi1sk); the access patterns give them meaning.
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ttlAttribute: 'ttl',
} as const;

/** Which key layout this code writes: the capacity run labels its traces with it. */
export const tableLayout = 'v1';

export type Key = { pk: string; sk: string };

const tenantPk = (tenantId: string) => `T#${tenantId}`;

export const keys = {
  tenant: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'TENANT' }),
  domainClaim: (domain: string): Key => ({ pk: `DOMAIN#${domain}`, sk: 'DOMAIN' }),
  emailClaim: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' }),
  user: (tenantId: string, userId: string): Key => ({ pk: tenantPk(tenantId), sk: `USER#${userId}` }),
  /** One per user, sorted by sign-in identifier, for finding users by uid or email prefix. */
  userDirectory: (tenantId: string, identifier: string): Key => ({ pk: tenantPk(tenantId), sk: `USERDIR#${identifier.toLowerCase()}` }),
  userDirectoryPrefix: (identifierPrefix = '') => `USERDIR#${identifierPrefix.toLowerCase()}`,
  group: (tenantId: string, groupId: string): Key => ({ pk: tenantPk(tenantId), sk: `GROUP#${groupId}` }),
  groupPrefix: 'GROUP#',
  /** Every group's name in one item, so that GET /v1/me reads user and group names in one round trip. */
  groupDirectory: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'GROUPDIR' }),
  groupNameClaim: (tenantId: string, nameKey: string): Key => ({ pk: tenantPk(tenantId), sk: `GROUPNAME#${nameKey}` }),
  /** The uid claim: the pending invitation itself, or after sign-up the accepted invitation pointing to its user. */
  uidClaim: (tenantId: string, uid: string): Key => ({ pk: tenantPk(tenantId), sk: `UID#${uid.toLowerCase()}` }),
  /** Revoked invitations leave the claim for an archive item that sorts right after it. */
  revokedInvitation: (tenantId: string, uid: string, invitationId: string): Key => ({ pk: tenantPk(tenantId), sk: `UID#${uid.toLowerCase()}#REVOKED#${invitationId}` }),
  invitationPrefix: (uidPrefix = '') => `UID#${uidPrefix.toLowerCase()}`,
  codeIndex: (codeHash: string) => ({ gsi1pk: `CODE#${codeHash}`, gsi1sk: 'CODE' }),
  import: (tenantId: string, importId: string): Key => ({ pk: tenantPk(tenantId), sk: `IMPORT#${importId}` }),
  importError: (tenantId: string, importId: string, row: number): Key => ({ pk: tenantPk(tenantId), sk: `IMPORT#${importId}#E#${String(row).padStart(7, '0')}` }),
  importErrorPrefix: (importId: string) => `IMPORT#${importId}#E#`,
  export: (tenantId: string, exportId: string): Key => ({ pk: tenantPk(tenantId), sk: `EXPORT#${exportId}` }),
  /** A brute-force counter: its fixed window's number, or SEQ for failures since the last success. */
  throttle: (name: string, window: string): Key => ({ pk: `RL#${name}`, sk: window }),
  audit: (tenantId: string, at: string, id: string): Key => ({ pk: tenantPk(tenantId), sk: `AUDIT#${at}#${id}` }),
  auditPrefix: 'AUDIT#',
  tenantPartition: tenantPk,
} as const;

/** An item without its key, index and type attributes: the record the rest of the code sees. */
export function recordOf<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, type: _type, ...record } = item;
  return record as T;
}

/** Seconds since the epoch, the unit DynamoDB's TTL reads. */
export const ttlFrom = (date: Date) => Math.floor(date.getTime() / 1000);

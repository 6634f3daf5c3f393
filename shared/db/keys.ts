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

export interface Key {
  pk: string;
  sk: string;
}

const tenantPk = (tenantId: string) => `T#${tenantId}`;

export const keys = {
  tenant: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'TENANT' }),
  domainClaim: (domain: string): Key => ({ pk: `DOMAIN#${domain}`, sk: 'DOMAIN' }),
  emailClaim: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' }),
  user: (tenantId: string, userId: string): Key => ({ pk: tenantPk(tenantId), sk: `USER#${userId}` }),
  session: (tokenHash: string): Key => ({ pk: `S#${tokenHash}`, sk: 'S' }),
  audit: (tenantId: string, at: string, id: string): Key => ({ pk: tenantPk(tenantId), sk: `AUDIT#${at}#${id}` }),
  auditPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'AUDIT#' }),
} as const;

/** Seconds since the epoch, the unit DynamoDB's TTL reads. */
export const ttlFrom = (date: Date) => Math.floor(date.getTime() / 1000);

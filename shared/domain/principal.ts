import type { UserRecord } from '../db/users';

/** What never changes about a tenant. Its settings do change: read them where they matter (tenantSettings). */
export interface TenantIdentity {
  id: string;
  name: string;
  domain: string;
}

/** The signed-in caller, as read from the user item (which holds the session) in the request's one read. */
export interface Principal {
  kind: 'user';
  user: UserRecord;
  tenant: TenantIdentity;
  tokenHash: string;
  sessionExpiresAt: string;
  /** The tenant's group names, where the route asked for them with the session's read (readsGroupNames). */
  groupNames?: ReadonlyMap<string, string>;
}

export interface Operator {
  kind: 'operator';
}

export type Caller = Principal | Operator;

/** A person's first and last name as one, or undefined when they have neither. */
export const fullName = (person: { firstName?: string; lastName?: string }) => [person.firstName, person.lastName].filter(Boolean).join(' ') || undefined;

export const signInIdentifierOf = (user: Pick<UserRecord, 'email' | 'uid'>, domain: string): string =>
  user.uid !== undefined ? `${user.uid}:${domain}` : (user.email ?? '');

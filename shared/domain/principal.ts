import type { TenantRecord } from '../db/tenants';
import type { UserRecord } from '../db/users';

/** The signed-in caller, as read from the session in the request's one read. */
export interface Principal {
  kind: 'user';
  user: UserRecord;
  tenant: TenantRecord;
  tokenHash: string;
}

export interface Operator {
  kind: 'operator';
}

export type Caller = Principal | Operator;

export const signInIdentifierOf = (user: Pick<UserRecord, 'email' | 'uid'>, domain: string): string =>
  user.uid !== undefined ? `${user.uid}:${domain}` : (user.email ?? '');

import { keys } from '../../shared/db/keys';
import { hashSync } from 'bcryptjs';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { call, db, invite, signIn, signUp, uniqueSuffix, type TestTenant } from './support';

/** Someone who can call the API: their token, and what they signed in with. */
export interface Person {
  id: string;
  password: string;
  token: string;
  uid?: string;
  email?: string;
}

/**
 * A user of any role written straight into the table (with an email address), signed in.
 * The only way to get a second admin in a tenant: the API makes admins only with the tenant.
 */
export async function insertUser(tenant: TestTenant, role: 'admin' | 'member' | 'guest'): Promise<Person> {
  const id = `fixture${uniqueSuffix()}`;
  const email = `${id}@${tenant.domain}`;
  const password = `user-${uniqueSuffix()}-pw`;
  await db.send(new PutCommand({ TableName: 'emailless', Item: { ...keys.emailClaim(email), type: 'emailClaim', tenantId: tenant.id, userId: id } }));
  await db.send(
    new PutCommand({
      TableName: 'emailless',
      Item: {
        ...keys.user(tenant.id, id),
        type: 'user',
        id,
        tenantId: tenant.id,
        tenantName: tenant.name,
        tenantDomain: tenant.domain,
        role,
        email,
        passwordHash: hashSync(password, 4),
        groupIds: [],
        mustChangePassword: false,
        sessionVersion: 1,
        sessions: {},
        devices: {},
        status: 'active',
        createdAt: new Date().toISOString(),
      },
    }),
  );
  // What making an admin would do: the tenant counts its active admins (the last one cannot leave).
  if (role === 'admin') {
    await db.send(new UpdateCommand({ TableName: 'emailless', Key: keys.tenant(tenant.id), UpdateExpression: 'ADD activeAdmins :one', ExpressionAttributeValues: { ':one': 1 } }));
  }
  return { id, email, password, token: await signIn(email, password) };
}

/** A user without email, made the real way: an invitation, then sign-up with its code. */
export async function uidUser(tenant: TestTenant, role: 'member' | 'guest' = 'member'): Promise<Person & { uid: string; invitationId: string }> {
  const uid = `U${uniqueSuffix()}`;
  const [invitation] = await invite(tenant, [{ uid, role }]);
  const password = `own-${uniqueSuffix()}-pw`;
  const session = await signUp(invitation!.accessCode, password);
  return { id: session.user.id as string, uid, password, token: session.token, invitationId: invitation!.id };
}

/** A token that was valid until its session was signed out. */
export async function signedOutToken(identifier: string, password: string): Promise<string> {
  const token = await signIn(identifier, password);
  const answer = await call('POST', '/v1/auth/sign-out', { token });
  if (answer.status !== 204) throw new Error(`sign-out failed: ${answer.status} ${answer.text}`);
  return token;
}

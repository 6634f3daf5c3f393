import { hashSync } from 'bcryptjs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, signIn, uniqueSuffix, type TestTenant } from './support';

/**
 * A member written straight into the table, for role checks on routes that do not depend
 * on how members arrive. Members made through invitations are tested in their own files.
 */
export async function insertMember(tenant: TestTenant, role: 'member' | 'guest' = 'member') {
  const id = `fixture${uniqueSuffix()}`;
  const email = `${id}@${tenant.domain}`;
  const password = `member-${uniqueSuffix()}`;
  await db.send(new PutCommand({ TableName: 'emailless', Item: { pk: `EMAIL#${email}`, sk: 'EMAIL', type: 'emailClaim', tenantId: tenant.id, userId: id } }));
  await db.send(
    new PutCommand({
      TableName: 'emailless',
      Item: {
        pk: `T#${tenant.id}`,
        sk: `USER#${id}`,
        type: 'user',
        id,
        tenantId: tenant.id,
        role,
        email,
        passwordHash: hashSync(password, 4),
        groupIds: [],
        mustChangePassword: false,
        sessionVersion: 1,
        status: 'active',
        createdAt: new Date().toISOString(),
      },
    }),
  );
  return { id, email, password, token: await signIn(email, password) };
}

import { getGroups } from '../db/groups';
import type { Me } from '../schemas/auth';
import { sessionUserOf } from './sessions';
import type { Principal } from './principal';

/** Who the caller is; groups deleted since they joined are left out. */
export async function describeMe({ user, tenant }: Principal): Promise<Me> {
  const groups = user.groupIds.length > 0 ? await getGroups(tenant.id, user.groupIds) : [];
  return { ...sessionUserOf(user, tenant), groups: groups.map(({ id, name }) => ({ id, name })) };
}

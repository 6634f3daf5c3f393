import { getGroups } from '../db/groups';
import type { Me } from '../schemas/auth';
import { sessionUserOf } from './sessions';
import type { Principal } from './principal';

/** Who the caller is; groups deleted since they joined are left out. */
export async function describeMe({ user, tenant, groupNames }: Principal): Promise<Me> {
  // The group names came with the session's read; tenants from before the group directory read the groups.
  const names = groupNames ?? (user.groupIds.length > 0 ? new Map((await getGroups(tenant.id, user.groupIds)).map((group) => [group.id, group.name])) : new Map<string, string>());
  const groups = user.groupIds.flatMap((id) => (names.has(id) ? [{ id, name: names.get(id)! }] : []));
  return { ...sessionUserOf(user, tenant), groups };
}

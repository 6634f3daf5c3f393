import type { Me } from '../schemas/auth';
import { sessionUserOf } from './sessions';
import type { PersonPrincipal } from './principal';

/** Who the caller is; groups deleted since they joined are left out. */
export function describeMe({ user, tenant, groupNames }: PersonPrincipal): Me {
  // The group names came with the session's read (the route reads them: readsGroupNames).
  const names = groupNames ?? new Map<string, string>();
  const groups = user.groupIds.flatMap((id) => (names.has(id) ? [{ id, name: names.get(id)! }] : []));
  return { ...sessionUserOf(user, tenant), groups };
}

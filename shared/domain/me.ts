import type { Me } from '../schemas/auth';
import { sessionUserOf } from './sessions';
import type { Principal } from './principal';

export function describeMe({ user, tenant }: Principal): Me {
  // Group names arrive with the groups feature; until then a user belongs to none.
  return { ...sessionUserOf(user, tenant), groups: [] };
}

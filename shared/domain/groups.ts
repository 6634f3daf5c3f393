import { newId } from '../auth/tokens';
import { deleteGroup as removeGroup, getGroup, listGroups as readGroups, putGroup, updateGroup as writeGroup, type GroupRecord } from '../db/groups';
import type { PageInput } from '../schemas/pagination';
import type { CreateGroupInput, UpdateGroupInput } from '../schemas/groups';
import { DomainError, notFound } from '../core/errors';
import type { Principal } from './principal';

const publicGroup = ({ id, name, isDefault, createdAt }: GroupRecord) => ({ id, name, isDefault, createdAt });
const groupNotFound = () => notFound({ en: 'The group', fr: 'Le groupe' });
const nameTaken = (name: string) => new DomainError('group_name_taken', { en: `A group named "${name}" already exists.`, fr: `Un groupe nommé « ${name} » existe déjà.` });

export async function createGroup(principal: Principal, input: CreateGroupInput) {
  const group: GroupRecord = { id: newId(), tenantId: principal.tenant.id, name: input.name, isDefault: input.isDefault, createdAt: new Date().toISOString() };
  if ((await putGroup(group)) === 'name_taken') throw nameTaken(input.name);
  return publicGroup(group);
}

export async function listGroups(principal: Principal, page: PageInput) {
  const { items, nextCursor } = await readGroups(principal.tenant.id, page);
  return { items: items.map(publicGroup), nextCursor };
}

async function existingGroup(principal: Principal, groupId: string): Promise<GroupRecord> {
  const group = await getGroup(principal.tenant.id, groupId);
  if (!group) throw groupNotFound();
  return group;
}

export async function updateGroup(principal: Principal, groupId: string, change: UpdateGroupInput) {
  const group = await existingGroup(principal, groupId);
  const outcome = await writeGroup(group, change);
  if (outcome === 'name_taken') throw nameTaken(change.name!);
  if (outcome === 'not_found') throw groupNotFound();
  return publicGroup({ ...group, ...change });
}

/** Deletes a group. Users and pending invitations that named it simply no longer list it. */
export async function deleteGroup(principal: Principal, groupId: string): Promise<void> {
  // A refusal means the group went or was renamed meanwhile: read it again and delete what is there.
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await removeGroup(await existingGroup(principal, groupId))) === 'deleted') return;
  }
  throw new DomainError('service_unavailable', { en: 'The group kept changing while it was being deleted; try again.', fr: 'Le groupe a changé pendant sa suppression ; réessayez.' }, { headers: { 'retry-after': '1' } });
}

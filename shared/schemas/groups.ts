import * as z from 'zod';
import { Id, Timestamp } from './common';
import { pageOf } from './pagination';

const GroupName = z.string().trim().min(1).max(100).meta({ description: 'Unique in the organisation, compared case-insensitively.' });

export const CreateGroupBody = z.strictObject({
  name: GroupName,
  isDefault: z.boolean().default(false).meta({ description: 'Members join default groups when they sign up (guests do not).' }),
});
export type CreateGroupInput = z.infer<typeof CreateGroupBody>;

export const UpdateGroupBody = z
  .strictObject({ name: GroupName.optional(), isDefault: z.boolean().optional() })
  .refine((patch) => patch.name !== undefined || patch.isDefault !== undefined, { message: 'name or isDefault to change' });
export type UpdateGroupInput = z.infer<typeof UpdateGroupBody>;

export const Group = z.object({ id: Id, name: z.string(), isDefault: z.boolean(), createdAt: Timestamp });
export const GroupPage = pageOf(Group);

import * as z from 'zod';
import { Id, PasswordInput, Role, Timestamp } from './common';
import { pageOf, pageQuery } from './pagination';
import { AccessCodeInput, InvitedRole, PersonName, Uid } from './invitations';

export const UserStatus = z.enum(['active', 'deactivated']);

export const ListUsersQuery = z.strictObject({
  role: Role.optional(),
  status: UserStatus.optional(),
  groupId: Id.optional().meta({ description: 'Only members of this group.' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(254)
    .regex(/^[A-Za-z0-9@._+-]+$/, 'a uid or email prefix')
    .optional()
    .meta({ description: 'uid or email prefix, case-insensitive' }),
  ...pageQuery,
});
export type ListUsersInput = z.infer<typeof ListUsersQuery>;

const GroupRef = z.object({ id: Id, name: z.string() });

export const UserSummary = z.object({
  id: Id,
  uid: z.string().optional(),
  email: z.string().optional(),
  signInIdentifier: z.string(),
  role: Role,
  status: UserStatus,
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  groups: z.array(GroupRef).meta({ description: 'The groups the user is in (deleted groups left out).' }),
  createdAt: Timestamp,
  lastSignInDate: z.iso.date().optional().meta({ description: 'The UTC day of the last sign-in (the exact time is in the user\'s detail).' }),
});
export const UserPage = pageOf(UserSummary);

export const UserDetail = UserSummary.extend({
  lastSignInAt: Timestamp.optional(),
  mustChangePassword: z.boolean(),
  deactivatedAt: Timestamp.optional(),
  resetCodeExpiresAt: Timestamp.optional().meta({ description: 'When the pending reset code ends, if there is one (the code itself is shown once, when issued).' }),
});

const NameChange = PersonName.nullable().optional().meta({ description: 'A new name; null removes it.' });

export const UpdateUserBody = z
  .strictObject({
    role: InvitedRole.optional().meta({ description: 'member or guest. A member does not join default groups by this change: groupIds says the groups.' }),
    groupIds: z.array(Id).max(50).optional().meta({ description: 'The user\'s groups, all of them (replaces the current list).' }),
    firstName: NameChange,
    lastName: NameChange,
    uid: Uid.optional().meta({
      description: 'A new uid, claimed like an invitation\'s (409 uid_taken): the old uid:domain stops working at once and the old uid is free to invite again. Only for a user who has a uid.',
    }),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'name at least one field to change' });
export type UpdateUserInput = z.infer<typeof UpdateUserBody>;

export const ResetCodeAnswer = z.object({
  resetCode: z.string().meta({ description: 'Shown this once: give it to the person by hand. Same form as an access code.', example: '7KQM-3XRT-PW9H-CN4D' }),
  expiresAt: Timestamp,
});

export const VerifyResetCodeBody = z.strictObject({ resetCode: AccessCodeInput });
export type VerifyResetCodeInput = z.infer<typeof VerifyResetCodeBody>;

export const VerifiedResetCode = z.object({
  signInIdentifier: z.string(),
  organization: z.object({ name: z.string(), domain: z.string() }),
  expiresAt: Timestamp,
});

export const PasswordResetBody = z.strictObject({ resetCode: AccessCodeInput, newPassword: PasswordInput });
export type PasswordResetInput = z.infer<typeof PasswordResetBody>;

export const SetPasswordBody = z.strictObject({
  password: PasswordInput,
  temporary: z.boolean().default(true).meta({ description: 'When true (the default) the user must choose a new password after signing in.' }),
});
export type SetPasswordInput = z.infer<typeof SetPasswordBody>;

export const ChangeOwnPasswordBody = z.strictObject({ currentPassword: PasswordInput, newPassword: PasswordInput });
export type ChangeOwnPasswordInput = z.infer<typeof ChangeOwnPasswordBody>;

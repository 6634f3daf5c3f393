import * as z from 'zod';
import { Id, PasswordInput, Role, Timestamp } from './common';
import { pageOf, pageQuery } from './pagination';

export const ListUsersQuery = z.strictObject({
  role: Role.optional(),
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

export const UserSummary = z.object({
  id: Id,
  uid: z.string().optional(),
  email: z.string().optional(),
  signInIdentifier: z.string(),
  role: Role,
  status: z.enum(['active']),
  createdAt: Timestamp,
});
export const UserPage = pageOf(UserSummary);

export const SetPasswordBody = z.strictObject({
  password: PasswordInput,
  temporary: z.boolean().default(true).meta({ description: 'When true (the default) the user must choose a new password after signing in.' }),
});
export type SetPasswordInput = z.infer<typeof SetPasswordBody>;

export const ChangeOwnPasswordBody = z.strictObject({ currentPassword: PasswordInput, newPassword: PasswordInput });
export type ChangeOwnPasswordInput = z.infer<typeof ChangeOwnPasswordBody>;

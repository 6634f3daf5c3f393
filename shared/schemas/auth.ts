import * as z from 'zod';
import { Id, PasswordInput, Role, Timestamp } from './common';
import { AccessCodeInput } from './invitations';

const DeviceToken = z
  .string()
  .max(100)
  .meta({
    description:
      'The device token a sign-in, sign-up or password reset of this user answered on this device. A sign-in with it is not held back by failures that other clients caused.',
  });

export const SignInBody = z.strictObject({
  identifier: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .meta({ description: 'An email address, or uid:domain for a user without email (both case-insensitive).', example: 'E1042:acme.example' }),
  password: PasswordInput,
  deviceToken: DeviceToken.optional(),
});
export type SignInInput = z.infer<typeof SignInBody>;

export const Organization = z.object({ id: Id, name: z.string(), domain: z.string() });

export const SessionUser = z.object({
  id: Id,
  uid: z.string().optional(),
  email: z.string().optional(),
  signInIdentifier: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  role: Role,
  organization: Organization,
  mustChangePassword: z.boolean(),
});

export const Session = z
  .object({
    token: z.string().meta({ description: 'Bearer token; send it as Authorization: Bearer <token>.' }),
    expiresAt: Timestamp,
    user: SessionUser,
    deviceToken: DeviceToken.meta({ description: 'Keep it on this device and send it with the next sign-in of this user (see SignInBody).' }),
  });

export const Me = SessionUser.extend({
  groups: z.array(z.object({ id: Id, name: z.string() })),
});
export type Me = z.infer<typeof Me>;

export const SignUpBody = z.strictObject({ accessCode: AccessCodeInput, password: PasswordInput });
export type SignUpInput = z.infer<typeof SignUpBody>;

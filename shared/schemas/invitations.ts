import * as z from 'zod';
import { Id, Timestamp } from './common';
import { pageOf, pageQuery } from './pagination';

/** The one uid rule; the console's uid fields carry it as their pattern attribute. */
export const uidPattern = /^[A-Za-z0-9]{1,64}$/;

export const Uid = z
  .string()
  .trim()
  .regex(uidPattern, '1 to 64 ASCII letters and digits')
  .meta({ description: 'Chosen by the admin (an employee number, say): 1–64 ASCII letters and digits, unique in the organisation among users and pending invitations, compared case-insensitively, kept as typed.', example: 'E1042' });

export const InvitedRole = z.enum(['member', 'guest']);
export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

export const PersonName = z.string().trim().min(1).max(100);

export const NewInvitation = z.strictObject({
  uid: Uid,
  role: InvitedRole,
  groupIds: z.array(Id).max(50).default([]).meta({ description: 'Groups of this organisation to join on sign-up.' }),
  firstName: PersonName.optional(),
  lastName: PersonName.optional(),
});
export type NewInvitationInput = z.infer<typeof NewInvitation>;

export const CreateInvitationsBody = z.strictObject({
  invitations: z.array(NewInvitation).min(1).max(100).meta({ description: '1 to 100 invitations, created all together or not at all.' }),
});
export type CreateInvitationsInput = z.infer<typeof CreateInvitationsBody>;

export const Invitation = z.object({
  id: z.string(),
  uid: z.string(),
  role: InvitedRole,
  status: InvitationStatus,
  signInIdentifier: z.string(),
  expiresAt: Timestamp,
  groupIds: z.array(Id),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  createdAt: Timestamp,
  acceptedAt: Timestamp.optional(),
  revokedAt: Timestamp.optional(),
  userId: Id.optional(),
});

export const AccessCodeAnswer = z.object({
  accessCode: z.string().meta({ description: 'XXXX-XXXX-XXXX-XXXX; case, spaces and hyphens are ignored on input.', example: '7KQM-3XRT-PW9H-CN4D' }),
  expiresAt: Timestamp,
});

export const CreatedInvitations = z.object({ items: z.array(Invitation.extend(AccessCodeAnswer.shape)) });

export const ListInvitationsQuery = z.strictObject({
  status: InvitationStatus.optional(),
  role: InvitedRole.optional(),
  q: z.string().trim().regex(uidPattern, 'a uid prefix').optional().meta({ description: 'uid prefix, case-insensitive' }),
  ...pageQuery,
});
export type ListInvitationsInput = z.infer<typeof ListInvitationsQuery>;

export const InvitationPage = pageOf(Invitation);

export const AccessCodeInput = z.string().min(1).max(64).meta({ description: 'The access code as the person typed it.' });

export const VerifyAccessCodeBody = z.strictObject({ accessCode: AccessCodeInput });
export const VerifiedAccessCode = z.object({
  signInIdentifier: z.string(),
  role: InvitedRole,
  organization: z.object({ name: z.string(), domain: z.string() }),
  expiresAt: Timestamp,
});

import * as z from 'zod';
import { Id, Timestamp } from './common';
import { InvitedRole, uidPattern } from './invitations';

export const SheetLayout = z.enum(['letter', 'cards']).meta({ description: 'letter: one A4 page each; cards: ten 85 × 54 mm cards to an A4 page, with cut marks.' });
export const LetterLanguage = z.enum(['en', 'fr']).meta({ description: 'The language of the letters; default: the request\'s Accept-Language (English when it names neither).' });

/** At most this many letters in one run: a run that would print more fails with too_many_letters. */
export const maxLettersPerRun = 50_000;

/**
 * One object with either selector, rather than a union of two: a mistake in either then
 * answers with the field it concerns, not "invalid input".
 */
export const CreateLettersBody = z
  .strictObject({
    invitationIds: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(100)
      .optional()
      .meta({ description: '1 to 100 pending invitations of this organisation (404 not_found for any other id, 409 invitation_not_pending for one that is not pending). Give this or filter.' }),
    filter: z
      .strictObject({
        status: z.array(z.literal('pending')).min(1).max(1).optional().meta({ description: 'Only pending invitations get letters, whatever is asked.' }),
        importId: Id.optional().meta({ description: 'Only the invitations this import made.' }),
        role: InvitedRole.optional(),
        q: z.string().trim().regex(uidPattern, 'a uid prefix').optional().meta({ description: 'uid prefix, case-insensitive' }),
      })
      .optional()
      .meta({ description: `Every pending invitation that matches, up to ${maxLettersPerRun.toLocaleString('en')}. Give this or invitationIds.` }),
    layout: SheetLayout,
    language: LetterLanguage.optional(),
  })
  .refine((body) => (body.invitationIds === undefined) !== (body.filter === undefined), { message: 'give either invitationIds or filter, not both', path: ['filter'] });
export type CreateLettersInput = z.infer<typeof CreateLettersBody>;

export const LetterRunState = z.object({
  id: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  layout: SheetLayout,
  language: LetterLanguage,
  count: z.number().int().optional().meta({ description: 'Letters (or cards) in the file, once completed.' }),
  pages: z.number().int().optional(),
  downloadUrl: z.string().optional().meta({ description: 'Presigned GET of the PDF, valid until expiresAt (15 minutes); each read of a completed run issues a fresh one. None when nothing matched.' }),
  expiresAt: Timestamp.optional(),
  createdAt: Timestamp,
  completedAt: Timestamp.optional(),
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const ResetLetterAnswer = z.object({
  resetCode: z.string().meta({ description: 'Shown this once, and printed in the letter.', example: '7KQM-3XRT-PW9H-CN4D' }),
  expiresAt: Timestamp,
  downloadUrl: z.string().meta({ description: 'Presigned GET of the one-page PDF (15 minutes).' }),
});

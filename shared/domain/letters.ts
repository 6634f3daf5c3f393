import { newId } from '../auth/tokens';
import { config } from '../config';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { putAudit } from '../db/audit';
import type { InvitationRecord } from '../db/invitations';
import { finishLetterRun, getLetterRun, invitationsByIds, putLetterRun, type LetterRunRecord, type LetterSelection } from '../db/letters';
import { presignDownload, presignedUrlSeconds } from '../aws/bucket';
import { invokeInBackground } from '../aws/invoke';
import { fileAreas } from './tenant-files';
import { DomainError, notFound } from '../core/errors';
import type { Language } from '../core/languages';
import type { CreateLettersInput } from '../schemas/letters';
import { auditBy } from './audit';
import { invitationStateWords, uidOfInvitationId } from './invitations';
import { actorIdOf, createdByKeyOf, signInIdentifierOf, type Principal } from './principal';

export const letterFileKey = (tenantId: string, runId: string) => `${fileAreas.letters}${tenantId}/${runId}/letters.pdf`;
export const pdfContentType = 'application/pdf';

/** Letter runs of one organisation under way at once: each is a worker of up to 15 minutes. */
export const lettersUnderWay = 3;

/** What a run prints: the invitations named (each checked now: 404 if not this tenant's, 409 if not pending), or a filter. */
async function selectionOf(principal: Principal, input: CreateLettersInput): Promise<LetterSelection> {
  if (input.filter) {
    const { importId, role, q } = input.filter;
    return { filter: { ...(importId ? { importId } : {}), ...(role ? { role } : {}), ...(q ? { uidPrefix: q } : {}) } };
  }
  const ids = [...new Set(input.invitationIds ?? [])];
  const named = ids.map((id) => ({ id, uid: uidOfInvitationId(id) }));
  const readable = named.filter((entry): entry is { id: string; uid: string } => entry.uid !== undefined);
  const found = new Map((await invitationsByIds(principal.tenant.id, readable)).map((invitation) => [invitation.id, invitation]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw notFound({ en: `The invitation ${missing[0]}`, fr: `L’invitation ${missing[0]}` });
  const now = new Date().toISOString();
  const notPending = [...found.values()].filter((invitation) => invitation.status !== 'pending' || invitation.expiresAt <= now);
  if (notPending.length > 0) {
    // A pending invitation refused here has expired.
    const stateOf = (invitation: InvitationRecord) => invitationStateWords[invitation.status === 'pending' ? 'expired' : invitation.status];
    const shown = (language: Language) => notPending.slice(0, 5).map((invitation) => `${invitation.uid} (${stateOf(invitation)[language]})`).join(', ');
    const more = notPending.length - 5;
    throw new DomainError('invitation_not_pending', {
      en: `Only pending invitations get letters; not: ${shown('en')}${more > 0 ? ` and ${more} more` : ''}.`,
      fr: `Seules les invitations en attente ont des lettres ; pas : ${shown('fr')}${more > 0 ? ` et ${more} autres` : ''}.`,
    });
  }
  return { invitationIds: ids };
}

/** "Print letters": answers at once; a worker writes the PDF. */
export async function startLetters(principal: Principal, input: CreateLettersInput, requestLanguage: Language) {
  const selection = await selectionOf(principal, input);
  const id = newId();
  const record: LetterRunRecord = {
    id,
    tenantId: principal.tenant.id,
    kind: 'letters',
    layout: input.layout,
    language: input.language ?? requestLanguage,
    selection,
    status: 'running',
    fileKey: letterFileKey(principal.tenant.id, id),
    createdAt: new Date().toISOString(),
    createdBy: actorIdOf(principal),
    createdByIdentifier: principal.kind === 'user' ? signInIdentifierOf(principal.user, principal.tenant.domain) : principal.apiKey.name,
    ...createdByKeyOf(principal),
  };
  if ((await putLetterRun(record, lettersUnderWay)) === 'too_many') {
    throw new DomainError('too_many_letter_runs', {
      en: `At most ${lettersUnderWay} letter runs of an organisation are under way at once; wait for one to finish.`,
      fr: `Au plus ${lettersUnderWay} tirages de lettres d’une organisation sont en cours à la fois ; attendez qu’un se termine.`,
    });
  }
  const asked = selection.invitationIds ? { invitations: selection.invitationIds.length } : { filter: selection.filter };
  await putAudit(principal.tenant.id, auditBy(principal, 'letters.created', { type: 'letters', id }, { layout: record.layout, language: record.language, ...asked }, record.createdAt));
  try {
    await invokeInBackground(config.LETTERS_FUNCTION_NAME, { tenantId: record.tenantId, letterRunId: id });
  } catch (error) {
    // A run no worker was asked for would show "running" for ever.
    if (await finishLetterRun(record, { status: 'failed', count: 0, failure: { code: 'worker_unavailable', message: 'The letters could not be started. Try again.' } })) countMetric(metricNames.letterRunsFailed);
    throw error;
  }
  return runState(record);
}

const runState = (record: LetterRunRecord) => ({
  id: record.id,
  status: record.status,
  layout: record.layout,
  language: record.language,
  createdAt: record.createdAt,
  ...(record.completedAt ? { completedAt: record.completedAt } : {}),
  ...(record.count !== undefined ? { count: record.count } : {}),
  ...(record.pages !== undefined ? { pages: record.pages } : {}),
  ...(record.failure ? { failure: record.failure } : {}),
});

/** A run's state; a completed one with letters in it comes with a fresh 15-minute download URL (recorded in the audit log). */
export async function describeLetters(principal: Principal, runId: string) {
  const record = await getLetterRun(principal.tenant.id, runId);
  if (!record) throw notFound({ en: 'The letter run', fr: 'Le tirage de lettres' });
  const state = runState(record);
  if (record.status !== 'completed' || !record.count) return state;
  const expiresAt = new Date(Date.now() + presignedUrlSeconds * 1000).toISOString();
  const downloadUrl = await presignDownload(record.fileKey, `${record.layout === 'cards' ? 'cards' : 'letters'}-${record.createdAt.slice(0, 10)}.pdf`);
  await putAudit(principal.tenant.id, auditBy(principal, 'letters.downloaded', { type: 'letters', id: record.id }, { count: record.count }));
  return { ...state, downloadUrl, expiresAt };
}

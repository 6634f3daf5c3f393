import { accessCodeHash, decryptAccessCode, encryptAccessCode, formatAccessCode, newAccessCode } from '../auth/access-codes';
import { auditBy } from './audit';
import { newId } from '../auth/tokens';
import { getGroups } from '../db/groups';
import { putAudit, type AuditEntry } from '../db/audit';
import {
  archiveRevokedInvitation,
  getInvitationUnderUid,
  listInvitations as readInvitations,
  putInvitations,
  replaceAccessCode,
  type InvitationRecord,
} from '../db/invitations';
import type { CreateInvitationsInput, ListInvitationsInput, NewInvitationInput } from '../schemas/invitations';
import { DomainError, notFound, type FieldError, type Wording } from '../core/errors';
import { countMetric } from '../core/metrics';
import { metricNames } from '../core/metric-names';
import { actorIdOf, type Principal } from './principal';
import { getSettings, requireSignInWithoutEmail } from './settings';
import type { Settings } from '../schemas/settings';
import type { InvitationStatus } from '../schemas/invitations';

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** What an admin sees of an invitation; never its code. */
export function publicInvitation(invitation: InvitationRecord, domain: string, now = new Date().toISOString()) {
  const status: InvitationStatus = invitation.status === 'pending' && invitation.expiresAt <= now ? 'expired' : invitation.status;
  return {
    id: invitation.id,
    uid: invitation.uid,
    role: invitation.role,
    status,
    signInIdentifier: `${invitation.uid}:${domain}`,
    expiresAt: invitation.expiresAt,
    groupIds: invitation.groupIds,
    ...(invitation.firstName !== undefined ? { firstName: invitation.firstName } : {}),
    ...(invitation.lastName !== undefined ? { lastName: invitation.lastName } : {}),
    createdAt: invitation.createdAt,
    ...(invitation.acceptedAt ? { acceptedAt: invitation.acceptedAt, userId: invitation.userId } : {}),
    ...(invitation.revokedAt ? { revokedAt: invitation.revokedAt } : {}),
  };
}

/** The id names the uid, so an invitation is found with one read of its uid claim. */
const newInvitationId = (uid: string) => `${uid.toLowerCase()}-${newId().slice(0, 16)}`;
export const uidOfInvitationId = (id: string) => /^([a-z0-9]{1,64})-[a-z2-7]{16}$/.exec(id)?.[1];

export interface NewCode {
  code: string;
  codeHash: string;
  codeCiphertext: string;
}

export async function sealNewCode(invitationId: string): Promise<NewCode> {
  const code = newAccessCode();
  return { code, codeHash: accessCodeHash(code), codeCiphertext: await encryptAccessCode(code, invitationId) };
}

export interface Inviter {
  tenantId: string;
  accessCodeTtlDays: number;
  userId: string;
}

export const inviterOf = (principal: Principal, settings: Settings): Inviter => ({
  tenantId: principal.tenant.id,
  accessCodeTtlDays: settings.accessCodeTtlDays,
  userId: actorIdOf(principal),
});

/** A pending invitation record with a fresh code, ready to store. */
export async function newInvitationRecord(inviter: Inviter, input: NewInvitationInput, extra: Partial<InvitationRecord> = {}) {
  const id = newInvitationId(input.uid);
  const sealed = await sealNewCode(id);
  const record: InvitationRecord = {
    id,
    tenantId: inviter.tenantId,
    uid: input.uid,
    role: input.role,
    groupIds: [...new Set(input.groupIds)],
    ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
    ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
    status: 'pending',
    expiresAt: daysFromNow(inviter.accessCodeTtlDays),
    createdAt: new Date().toISOString(),
    createdBy: inviter.userId,
    codeHash: sealed.codeHash,
    codeCiphertext: sealed.codeCiphertext,
    ...extra,
  };
  return { record, code: sealed.code };
}

function uidTaken(uids: string[]): DomainError {
  return new DomainError('uid_taken', { en: `These uids are already in use: ${uids.join(', ')}.`, fr: `Ces uids sont déjà utilisés : ${uids.join(', ')}.` }, {
    uids,
    errors: uids.map((uid) => ({ path: 'uid', message: `${uid} is already in use` })),
  });
}

/** Invites 1 to 100 people, all together or not at all. */
export async function inviteMembers(principal: Principal, input: CreateInvitationsInput) {
  const settings = await requireSignInWithoutEmail(principal);
  const seen = new Map<string, string>();
  const duplicates = new Set<string>();
  for (const { uid } of input.invitations) {
    if (seen.has(uid.toLowerCase())) duplicates.add(uid);
    seen.set(uid.toLowerCase(), uid);
  }
  if (duplicates.size > 0) throw uidTaken([...duplicates]);

  const wantedGroups = [...new Set(input.invitations.flatMap((invitation) => invitation.groupIds))];
  const found = new Set((await getGroups(principal.tenant.id, wantedGroups)).map((group) => group.id));
  const missing = input.invitations.flatMap((invitation, index) =>
    invitation.groupIds.filter((id) => !found.has(id)).map((id) => ({ path: `invitations.${index}.groupIds`, message: `no group ${id} in this organisation` })),
  );
  if (missing.length > 0) throw unknownGroups(missing);

  const created = await Promise.all(input.invitations.map((invitation) => newInvitationRecord(inviterOf(principal, settings), invitation)));
  const { taken } = await putInvitations(created.map(({ record }) => record));
  if (taken.length > 0) throw uidTaken(taken);
  return {
    items: created.map(({ record, code }) => ({ ...publicInvitation(record, principal.tenant.domain), accessCode: formatAccessCode(code) })),
  };
}

export async function listInvitations(principal: Principal, query: ListInvitationsInput) {
  const now = new Date().toISOString();
  const page = await readInvitations(
    principal.tenant.id,
    { ...(query.status ? { status: query.status } : {}), ...(query.role ? { role: query.role } : {}), ...(query.q ? { uidPrefix: query.q } : {}) },
    { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
    now,
  );
  return { items: page.items.map((invitation) => publicInvitation(invitation, principal.tenant.domain, now)), nextCursor: page.nextCursor };
}

/** An invitation of the caller's tenant by id, or 404 (also for another tenant's id). */
export async function findInvitation(principal: Principal, invitationId: string): Promise<InvitationRecord> {
  const uid = uidOfInvitationId(invitationId);
  if (uid) {
    const invitation = await getInvitationUnderUid(principal.tenant.id, uid, invitationId);
    if (invitation) return invitation;
  }
  throw notFound({ en: 'The invitation', fr: 'L’invitation' });
}

export async function getInvitation(principal: Principal, invitationId: string) {
  return publicInvitation(await findInvitation(principal, invitationId), principal.tenant.domain);
}

const auditOf = (principal: Principal, action: string, invitation: InvitationRecord): AuditEntry =>
  auditBy(principal, action, { type: 'invitation', id: invitation.id, signInIdentifier: `${invitation.uid}:${principal.tenant.domain}` }, { uid: invitation.uid });

/** The states of an invitation that has no usable code, in words (a pending one past its expiry is expired). */
export const invitationStateWords = {
  expired: { en: 'expired', fr: 'expirée' },
  accepted: { en: 'accepted', fr: 'acceptée' },
  revoked: { en: 'revoked', fr: 'révoquée' },
} as const satisfies Record<string, Wording>;

export const unknownGroups = (errors: FieldError[]) =>
  new DomainError('unknown_group', { en: 'Some groups do not exist in this organisation.', fr: 'Des groupes n’existent pas dans cette organisation.' }, { errors });

function requirePending(invitation: InvitationRecord): void {
  if (invitation.status !== 'pending') {
    const state = invitationStateWords[invitation.status];
    throw new DomainError('invitation_not_pending', { en: `The invitation is ${state.en}; it has no access code any more.`, fr: `L’invitation est ${state.fr} ; elle n’a plus de code d’accès.` });
  }
}

/** "See the access code": only for a pending invitation; recorded in the audit log. */
export async function showAccessCode(principal: Principal, invitationId: string) {
  const invitation = await findInvitation(principal, invitationId);
  requirePending(invitation);
  if (invitation.expiresAt <= new Date().toISOString()) {
    throw new DomainError('access_code_expired', { en: 'The access code has expired; make a new one with POST on this resource.', fr: 'Le code d’accès a expiré ; créez-en un nouveau avec POST sur cette ressource.' });
  }
  const code = await decryptAccessCode(invitation.codeCiphertext!, invitation.id);
  await putAudit(principal.tenant.id, auditOf(principal, 'access_code.viewed', invitation));
  countMetric(metricNames.accessCodesViewed);
  return { accessCode: formatAccessCode(code), expiresAt: invitation.expiresAt };
}

/** A new code with a new lifetime; the old code stops working at once. */
export async function regenerateAccessCode(principal: Principal, invitationId: string) {
  const invitation = await findInvitation(principal, invitationId);
  requirePending(invitation);
  const [sealed, settings] = await Promise.all([sealNewCode(invitation.id), getSettings(principal)]);
  const expiresAt = daysFromNow(settings.accessCodeTtlDays);
  const outcome = await replaceAccessCode(invitation, { codeHash: sealed.codeHash, codeCiphertext: sealed.codeCiphertext, expiresAt }, auditOf(principal, 'access_code.regenerated', invitation));
  if (outcome === 'not_pending') throw new DomainError('invitation_not_pending', { en: 'The invitation was accepted or revoked meanwhile.', fr: 'L’invitation a été acceptée ou révoquée entre-temps.' });
  return { accessCode: formatAccessCode(sealed.code), expiresAt };
}

export async function revokeInvitation(principal: Principal, invitationId: string): Promise<void> {
  const invitation = await findInvitation(principal, invitationId);
  requirePending(invitation);
  const outcome = await archiveRevokedInvitation(invitation, new Date().toISOString(), auditOf(principal, 'invitation.revoked', invitation));
  if (outcome === 'not_pending') throw new DomainError('invitation_not_pending', { en: 'The invitation was accepted or revoked meanwhile.', fr: 'L’invitation a été acceptée ou révoquée entre-temps.' });
}

import { config } from '../config';
import type { InvitationRecord } from '../db/invitations';
import type { CodeKind } from '../pdf/wording';
import type { PrintedCode } from '../pdf/code-sheets';
import { fullName } from './principal';

const pageOf: Record<CodeKind, string> = { 'sign-up': '/sign-up', 'password-reset': '/password-reset' };

/** What a letter or card of this person's code prints, with the public address the QR code opens. */
export function printedCode(
  kind: CodeKind,
  tenant: { name: string; domain: string },
  person: { uid: string; firstName?: string; lastName?: string },
  code: { formatted: string; expiresAt: string },
): PrintedCode {
  const personName = fullName(person);
  return {
    kind,
    organisation: tenant.name,
    ...(personName ? { personName } : {}),
    signInIdentifier: `${person.uid}:${tenant.domain}`,
    code: code.formatted,
    expiresAt: code.expiresAt,
    pageUrl: `${config.PUBLIC_URL}${pageOf[kind]}`,
    signInUrl: `${config.PUBLIC_URL}/sign-in`,
  };
}

export const printedInvitation = (tenant: { name: string; domain: string }, invitation: InvitationRecord, formattedCode: string) =>
  printedCode('sign-up', tenant, invitation, { formatted: formattedCode, expiresAt: invitation.expiresAt });

import { getTenant, patchSettings } from '../db/tenants';
import { auditBy } from './audit';
import type { Settings, SettingsPatch } from '../schemas/settings';
import { DomainError } from '../core/errors';
import type { Principal } from './principal';

/** The caller's organisation is gone or being deleted: the caller's credential opens nothing any more. */
export const organisationGone = () => new DomainError('invalid_token', { en: 'The organisation no longer exists.', fr: 'L’organisation n’existe plus.' });

/** The tenant's settings as they are now (they are not part of the session's read). */
export async function getSettings(principal: Principal): Promise<Settings> {
  const tenant = await getTenant(principal.tenant.id);
  if (!tenant) throw organisationGone();
  return tenant.settings;
}

/** The settings, refused with feature_disabled while sign-in without email is off. */
export async function requireSignInWithoutEmail(principal: Principal): Promise<Settings> {
  const settings = await getSettings(principal);
  if (!settings.signInWithoutEmail) {
    throw new DomainError('feature_disabled', { en: 'Switch on sign-in without email in the settings first.', fr: 'Activez d’abord la connexion sans e-mail dans les réglages.' });
  }
  return settings;
}

export async function updateSettings(principal: Principal, patch: SettingsPatch): Promise<Settings> {
  const settings = await patchSettings(principal.tenant.id, patch, auditBy(principal, 'settings.updated', { type: 'tenant', id: principal.tenant.id }, { changed: patch }));
  if (!settings) throw organisationGone();
  return settings;
}

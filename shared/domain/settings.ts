import { patchSettings } from '../db/tenants';
import type { Settings, SettingsPatch } from '../schemas/settings';
import type { Principal } from './principal';

export function getSettings(principal: Principal): Settings {
  return principal.tenant.settings;
}

export function updateSettings(principal: Principal, patch: SettingsPatch): Promise<Settings> {
  return patchSettings(principal.tenant.id, patch, {
    at: new Date().toISOString(),
    actor: { kind: 'user', userId: principal.user.id },
    action: 'settings.updated',
    target: { type: 'tenant', id: principal.tenant.id },
    details: { changed: patch },
  });
}

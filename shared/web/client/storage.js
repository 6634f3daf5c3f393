/* global sessionStorage, localStorage */
/**
 * What the browser keeps: the session (per tab) and this device's tokens (across tabs). Sent
 * as source text, like the library that takes it: self-contained.
 * @returns {import('./lib').ClientStorage}
 */
export function clientStorage() {
  // Tokens live in sessionStorage: they survive a reload of the tab, never reach a URL and
  // end with the tab.
  const storageKey = 'emailless.session';
  /** @type {import('./lib').ClientStorage['session']} */
  const session = {
    get() {
      try {
        /** @type {import('./lib').StoredSession | null} */
        const stored = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null');
        if (!stored || Date.parse(stored.expiresAt) <= Date.now()) return undefined;
        return stored;
      } catch {
        return undefined;
      }
    },
    set(value) {
      sessionStorage.setItem(storageKey, JSON.stringify(value));
    },
    clear() {
      sessionStorage.removeItem(storageKey);
    },
  };

  // Device tokens live in localStorage, by sign-in identifier: they outlive the tab, so that
  // this device's next sign-in is not held back by an attacker's failures elsewhere.
  const devicesKey = 'emailless.devices';
  const identifierKey = (/** @type {string} */ identifier) => identifier.trim().toLowerCase();
  /** @returns {Record<string, string>} */
  const storedDevices = () => {
    try {
      const stored = JSON.parse(localStorage.getItem(devicesKey) ?? '{}');
      return stored && typeof stored === 'object' ? stored : {};
    } catch {
      return {};
    }
  };
  /** @type {import('./lib').ClientStorage['devices']} */
  const devices = {
    get: (identifier) => storedDevices()[identifierKey(identifier)],
    keep(identifier, token) {
      try {
        localStorage.setItem(devicesKey, JSON.stringify({ ...storedDevices(), [identifierKey(identifier)]: token }));
      } catch {
        // storage full or off: the next sign-in is an unknown client, nothing worse
      }
    },
  };

  return { session, devices };
}

/**
 * Console section: the organisation's settings (the switch, the lifetimes of access and reset codes).
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function settingsSection(lib, { kit, shell }) {
  const { t, byId, api } = lib;
  const form = lib.form('settings-form');
  const featureInput = lib.input('sign-in-without-email');
  const ttlInput = lib.input('code-ttl');
  const resetTtlInput = lib.input('reset-ttl');
  const message = byId('settings-message');
  // Until the settings are read, a tick or a save would be undone by, or send, blank values.
  const controls = [featureInput, ttlInput, resetTtlInput, lib.submitButton(form)];
  controls.forEach((control) => control && (control.disabled = true));

  async function load() {
    const answer = await api('GET', '/v1/admin/settings');
    if (!answer.ok) return kit.failed(answer.problem, message);
    controls.forEach((control) => control && (control.disabled = false));
    /** @type {{ signInWithoutEmail: boolean; accessCodeTtlDays: number; resetCodeTtlHours: number }} */
    const settings = answer.data;
    featureInput.checked = settings.signInWithoutEmail;
    ttlInput.value = String(settings.accessCodeTtlDays);
    resetTtlInput.value = String(settings.resetCodeTtlHours);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(form);
    const days = Number(ttlInput.value);
    if (!Number.isInteger(days) || days < 1 || days > 365) return lib.fieldError(ttlInput, t('admin.settings.ttlRange'));
    const hours = Number(resetTtlInput.value);
    if (!Number.isInteger(hours) || hours < 1 || hours > 720) return lib.fieldError(resetTtlInput, t('admin.settings.resetTtlRange'));
    const answer = await lib.busy(lib.submitButton(form), () =>
      api('PATCH', '/v1/admin/settings', { signInWithoutEmail: featureInput.checked, accessCodeTtlDays: days, resetCodeTtlHours: hours }),
    );
    if (!answer.ok) return kit.failed(answer.problem, message);
    lib.say(message, t(answer.data.signInWithoutEmail ? 'admin.settings.savedOn' : 'admin.settings.savedOff'), 'ok');
    shell.emit('audit-changed');
  });

  shell.register({ id: 'settings', show: load });
}

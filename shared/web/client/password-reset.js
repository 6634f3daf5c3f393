/* global window */
/**
 * /password-reset in the browser: a reset code from an admin, typed or carried in the
 * address's fragment (`#code=…`, the link and QR code of a reset letter), then a new
 * password; the person is then signed in. Sent as source text: self-contained.
 * @param {import('./lib').Lib} lib
 */
export function passwordResetScript(lib) {
  // Before anything else: the code leaves the address bar and the history.
  const fromAddress = lib.takeCodeFromAddress();

  const { t, byId, api } = lib;
  const codeForm = lib.form('code-form');
  const codeInput = lib.input('reset-code');
  const codeMessage = byId('code-message');
  const passwordStep = byId('password-step');
  const passwordForm = lib.form('password-form');
  const passwordInput = lib.input('new-password');
  const passwordMessage = byId('password-message');
  // Kept in memory only, between the two steps.
  let resetCode = '';

  lib.revealScripted();
  lib.forgetOnLeave(codeInput);
  lib.showPasswordToggle(lib.input('show-password'), passwordInput);

  const codeProblems = /^(reset_code_|validation_failed$)/;

  /** @param {import('./lib').Problem} problem */
  function codeRefused(problem) {
    passwordStep.hidden = true;
    codeForm.hidden = false;
    if (codeProblems.test(problem.code)) lib.fieldError(codeInput, lib.problemText(problem));
    else lib.say(codeMessage, lib.problemText(problem));
  }

  async function verify() {
    lib.clearErrors(codeForm);
    const typed = codeInput.value.trim();
    if (typed === '') return lib.fieldError(codeInput, t('passwordReset.codeRequired'));
    const answer = await lib.busy(lib.submitButton(codeForm), () => api('POST', '/v1/password-reset/verify', { resetCode: typed }));
    if (!answer.ok) return codeRefused(answer.problem);
    resetCode = typed;
    /** @type {{ signInIdentifier: string; organization: { name: string; domain: string }; expiresAt: string }} */
    const verified = answer.data;
    const organization = `${verified.organization.name} (${verified.organization.domain})`;
    byId('resetting').textContent = `${t('passwordReset.resetting', { identifier: verified.signInIdentifier, organization })} ${t('passwordReset.validUntil', { date: lib.formatDate(verified.expiresAt) })}`;
    byId('identifier').textContent = verified.signInIdentifier;
    lib.input('username').value = verified.signInIdentifier;
    codeForm.hidden = true;
    passwordStep.hidden = false;
    byId('password-step-title').focus();
  }

  codeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void verify();
  });

  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(passwordForm);
    if (passwordInput.value === '') return lib.fieldError(passwordInput, t('password.required'));
    const answer = await lib.busy(lib.submitButton(passwordForm), () => api('POST', '/v1/password-reset', { resetCode, newPassword: passwordInput.value }));
    if (answer.ok) {
      /** @type {import('./lib').StoredSession} */
      const session = answer.data;
      lib.session.set(session);
      if (session.deviceToken) lib.devices.keep(session.user.signInIdentifier, session.deviceToken);
      window.location.assign('/welcome');
      return;
    }
    if (lib.passwordProblem(answer.problem, passwordInput)) return;
    // The code stopped working meanwhile (spent, replaced, expired): back to the first step.
    if (codeProblems.test(answer.problem.code)) return codeRefused(answer.problem);
    lib.say(passwordMessage, lib.problemText(answer.problem));
  });

  byId('other-code').addEventListener('click', () => {
    lib.clearErrors(passwordForm);
    passwordInput.value = '';
    passwordStep.hidden = true;
    codeForm.hidden = false;
    codeInput.select();
    codeInput.focus();
  });

  if (fromAddress !== '') {
    codeInput.value = fromAddress;
    void verify();
  }
}

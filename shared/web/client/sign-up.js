/* global window */
/**
 * /sign-up in the browser: check the access code (typed, or carried in the address's
 * fragment, `#code=…`, by the QR code of a printed letter or card), show the identifier,
 * choose a password. Sent as source text: self-contained.
 * @param {import('./lib').Lib} lib
 */
export function signUpScript(lib) {
  // Before anything else: the code leaves the address bar and the history.
  const fromAddress = lib.takeCodeFromAddress();
  const { t, byId, api } = lib;
  const codeForm = lib.form('code-form');
  const codeInput = lib.input('access-code');
  const codeMessage = byId('code-message');
  const passwordStep = byId('password-step');
  const passwordForm = lib.form('password-form');
  const passwordInput = lib.input('new-password');
  const passwordMessage = byId('password-message');
  const identifier = byId('identifier');
  const copyIdentifier = lib.button('copy-identifier');
  // Kept in memory only, between the two steps.
  let accessCode = '';

  lib.revealScripted();
  lib.forgetOnLeave(codeInput);
  lib.showPasswordToggle(lib.input('show-password'), passwordInput);
  copyIdentifier.addEventListener('click', () => void lib.copy(identifier.textContent ?? '', copyIdentifier));

  const codeCodes = /^(access_code_|feature_disabled$)/;

  async function verify() {
    lib.clearErrors(codeForm);
    const typed = codeInput.value.trim();
    if (typed === '') return lib.fieldError(codeInput, t('signUp.codeRequired'));
    const answer = await lib.busy(lib.submitButton(codeForm), () => api('POST', '/v1/sign-up/verify', { accessCode: typed }));
    if (!answer.ok) {
      if (codeCodes.test(answer.problem.code)) lib.fieldError(codeInput, lib.problemText(answer.problem));
      else lib.say(codeMessage, lib.problemText(answer.problem));
      return;
    }
    accessCode = typed;
    /** @type {{ signInIdentifier: string; role: 'member' | 'guest'; organization: { name: string; domain: string } }} */
    const verified = answer.data;
    identifier.textContent = verified.signInIdentifier;
    lib.input('username').value = verified.signInIdentifier;
    byId('joining').textContent = t('signUp.joining', { organization: verified.organization.name, domain: verified.organization.domain, role: t(`role.${verified.role}`) });
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
    const answer = await lib.busy(lib.submitButton(passwordForm), () => api('POST', '/v1/sign-up', { accessCode, password: passwordInput.value }));
    if (answer.ok) {
      lib.session.set(answer.data);
      if (answer.data.deviceToken) lib.devices.keep(answer.data.user.signInIdentifier, answer.data.deviceToken);
      window.location.assign('/welcome');
      return;
    }
    if (lib.passwordProblem(answer.problem, passwordInput)) return;
    if (codeCodes.test(answer.problem.code)) {
      // The code stopped working meanwhile (used, expired, replaced): back to the first step.
      passwordStep.hidden = true;
      codeForm.hidden = false;
      return lib.fieldError(codeInput, lib.problemText(answer.problem));
    }
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

/* global window */
/**
 * /sign-in in the browser: sign in, and change a temporary password when asked to.
 * Sent as source text: self-contained.
 * @param {import('./lib').Lib} lib
 */
export function signInScript(lib) {
  const { t, byId, api } = lib;
  const signInForm = lib.form('sign-in-form');
  const identifierInput = lib.input('identifier');
  const passwordInput = lib.input('password');
  const signInMessage = byId('sign-in-message');
  const forgot = byId('forgot');
  const changeForm = lib.form('change-form');
  const currentField = byId('current-password-field');
  const currentInput = lib.input('current-password');
  const newInput = lib.input('new-password');
  const changeMessage = byId('change-message');
  const signedIn = byId('signed-in');
  // The password just typed, in memory only, so that a forced change does not ask for it again.
  let typedPassword = '';

  lib.showPasswordToggle(lib.input('show-password'), passwordInput);
  lib.showPasswordToggle(lib.input('show-new-password'), currentInput, newInput);

  // "Ask your admin" is the way back for people without email (uid:domain).
  const looksLikeUid = () => /^[^@\s]+:[^@\s]+$/.test(identifierInput.value.trim());
  identifierInput.addEventListener('input', () => (forgot.hidden = !looksLikeUid()));

  /** @param {'sign-in' | 'change' | 'signed-in'} part */
  function show(part) {
    signInForm.hidden = part !== 'sign-in';
    changeForm.hidden = part !== 'change';
    signedIn.hidden = part !== 'signed-in';
  }

  /** @param {import('./lib').SessionUser} user */
  function askForNewPassword(user) {
    lib.enableSignOut();
    currentField.hidden = typedPassword !== '';
    byId('change-for').textContent = user.signInIdentifier;
    lib.input('change-username').value = user.signInIdentifier;
    show('change');
    byId('change-title').focus();
  }

  /** @param {import('./lib').SessionUser} user */
  function showSignedIn(user) {
    lib.enableSignOut();
    byId('signed-in-as').textContent = t('signIn.signedInAs', { identifier: user.signInIdentifier });
    byId('continue').setAttribute('href', lib.destinationOf(user));
    show('signed-in');
  }

  /** @param {string} identifier */
  function deviceTokenFor(identifier) {
    const deviceToken = lib.devices.get(identifier);
    return deviceToken ? { deviceToken } : {};
  }

  signInForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(signInForm);
    const identifier = identifierInput.value.trim();
    if (identifier === '') return lib.fieldError(identifierInput, t('signIn.identifierRequired'));
    if (passwordInput.value === '') return lib.fieldError(passwordInput, t('password.required'));
    const answer = await lib.busy(lib.submitButton(signInForm), () => api('POST', '/v1/auth/sign-in', { identifier, password: passwordInput.value, ...deviceTokenFor(identifier) }));
    if (!answer.ok) {
      lib.say(signInMessage, lib.problemText(answer.problem));
      if (answer.problem.code === 'invalid_credentials') {
        passwordInput.select();
        passwordInput.focus();
      }
      return;
    }
    /** @type {import('./lib').StoredSession} */
    const session = answer.data;
    lib.session.set(session);
    if (session.deviceToken) lib.devices.keep(session.user.signInIdentifier, session.deviceToken);
    if (session.user.mustChangePassword) {
      typedPassword = passwordInput.value;
      passwordInput.value = '';
      return askForNewPassword(session.user);
    }
    window.location.assign(lib.destinationOf(session.user));
  });

  changeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(changeForm);
    const currentPassword = typedPassword || currentInput.value;
    if (currentPassword === '') return lib.fieldError(currentInput, t('password.required'));
    if (newInput.value === '') return lib.fieldError(newInput, t('password.required'));
    const answer = await lib.busy(lib.submitButton(changeForm), () => api('PUT', '/v1/me/password', { currentPassword, newPassword: newInput.value }));
    if (!answer.ok) {
      if (answer.problem.code === 'wrong_current_password') {
        typedPassword = '';
        currentField.hidden = false;
        return lib.fieldError(currentInput, lib.problemText(answer.problem));
      }
      if (lib.passwordProblem(answer.problem, newInput)) return;
      if (answer.status === 401) {
        show('sign-in');
        return lib.say(signInMessage, t('signIn.sessionEnded'));
      }
      return lib.say(changeMessage, lib.problemText(answer.problem));
    }
    typedPassword = '';
    const stored = lib.session.get();
    if (stored) lib.session.set({ ...stored, user: { ...stored.user, mustChangePassword: false } });
    window.location.assign(stored ? lib.destinationOf(stored.user) : '/welcome');
  });

  // Someone still signed in in this tab goes on, or finishes a forced password change.
  async function start() {
    if (lib.session.get()) {
      const me = await api('GET', '/v1/me');
      if (me.ok) return me.data.mustChangePassword ? askForNewPassword(me.data) : showSignedIn(me.data);
      lib.session.clear();
    }
    show('sign-in');
  }
  void start();
}

import { signInScript } from '../client/sign-in';
import { html } from '../html';
import type { PageSpec } from '../page';
import { passwordRulesList } from './password-rules';

/** `/sign-in`: identifier and password, then the forced password change when an admin set one. */
export const signInPage: PageSpec = {
  title: 'signIn.title',
  width: 'narrow',
  scripts: [signInScript],
  clientStrings: ['signIn.', 'password.'],
  body: (t) => html`
<h1>${t('signIn.title')}</h1>
<form id="sign-in-form" method="post" novalidate hidden>
  <div class="field">
    <label for="identifier">${t('signIn.identifierLabel')}</label>
    <p id="identifier-hint" class="hint">${t('signIn.identifierHint')}</p>
    <input id="identifier" name="identifier" type="text" autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false" aria-describedby="identifier-hint identifier-error" required>
    <p id="identifier-error" class="field-error"></p>
  </div>
  <div class="field">
    <label for="password">${t('password.label')}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" aria-describedby="password-error" required>
    <p id="password-error" class="field-error"></p>
    <label class="check"><input id="show-password" type="checkbox"> ${t('password.show')}</label>
  </div>
  <button type="submit" class="primary-action">${t('signIn.submit')}</button>
  <p id="sign-in-message" class="message" aria-live="assertive" hidden></p>
  <p id="forgot" class="panel" hidden>${t('signIn.forgot')} <a href="/password-reset">${t('signIn.resetLink')}</a></p>
  <p class="muted">${t('signIn.newHere')} <a href="/sign-up">${t('signIn.signUpLink')}</a></p>
</form>
<form id="change-form" method="post" novalidate aria-labelledby="change-title" hidden>
  <h2 id="change-title" tabindex="-1">${t('signIn.changeTitle')}</h2>
  <p>${t('signIn.changeLead')} <strong id="change-for" class="mono"></strong></p>
  <input id="change-username" name="username" type="text" autocomplete="username" class="offscreen" tabindex="-1" aria-hidden="true" readonly>
  <div id="current-password-field" class="field">
    <label for="current-password">${t('password.current')}</label>
    <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" aria-describedby="current-password-error">
    <p id="current-password-error" class="field-error"></p>
  </div>
  <div class="field">
    <label for="new-password">${t('password.new')}</label>
    ${passwordRulesList(t, 'new-password-rules')}
    <input id="new-password" name="newPassword" type="password" autocomplete="new-password" aria-describedby="new-password-rules new-password-error" required>
    <p id="new-password-error" class="field-error"></p>
    <label class="check"><input id="show-new-password" type="checkbox"> ${t('password.show')}</label>
  </div>
  <button type="submit" class="primary-action">${t('signIn.changeSubmit')}</button>
  <p id="change-message" class="message" aria-live="assertive" hidden></p>
</form>
<section id="signed-in" class="panel" hidden>
  <p id="signed-in-as"></p>
  <p><a id="continue" class="button" href="/welcome">${t('signIn.continue')}</a></p>
</section>`,
};

import { signUpScript } from '../client/sign-up';
import { html } from '../html';
import type { PageSpec } from '../page';
import { passwordRulesList } from './password-rules';

/** `/sign-up`: access code → who it is for and the sign-in identifier → a password. */
export const signUpPage: PageSpec = {
  title: 'signUp.title',
  width: 'narrow',
  scripts: [signUpScript],
  clientStrings: ['signUp.', 'password.', 'role.'],
  body: (t) => html`
<h1>${t('signUp.title')}</h1>
<p class="lead">${t('signUp.lead')}</p>
<form id="code-form" method="post" novalidate hidden data-scripted>
  <div class="field">
    <label for="access-code">${t('signUp.codeLabel')}</label>
    <p id="access-code-hint" class="hint">${t('signUp.codeHint')}</p>
    <input id="access-code" name="accessCode" type="text" autocomplete="one-time-code" autocapitalize="characters" autocorrect="off" spellcheck="false" aria-describedby="access-code-hint access-code-error" required>
    <p id="access-code-error" class="field-error"></p>
  </div>
  <button type="submit" class="primary-action">${t('signUp.check')}</button>
  <p id="code-message" class="message" aria-live="assertive" hidden></p>
</form>
<section id="password-step" aria-labelledby="password-step-title" hidden>
  <h2 id="password-step-title" tabindex="-1">${t('signUp.codeAccepted')}</h2>
  <p id="joining"></p>
  <div class="identifier-card">
    <p class="note">${t('signUp.identifierLabel')}</p>
    <p id="identifier" class="identifier"></p>
    <button type="button" id="copy-identifier" class="secondary">${t('signUp.copyIdentifier')}</button>
    <p>${t('signUp.keepIdentifier')}</p>
  </div>
  <form id="password-form" method="post" novalidate>
    <h2>${t('signUp.choosePassword')}</h2>
    <input id="username" name="username" type="text" autocomplete="username" class="offscreen" tabindex="-1" aria-hidden="true" readonly>
    <div class="field">
      <label for="new-password">${t('password.new')}</label>
      ${passwordRulesList(t, 'new-password-rules')}
      <input id="new-password" name="password" type="password" autocomplete="new-password" aria-describedby="new-password-rules new-password-error" required>
      <p id="new-password-error" class="field-error"></p>
      <label class="check"><input id="show-password" type="checkbox"> ${t('password.show')}</label>
    </div>
    <button type="submit" class="primary-action">${t('signUp.create')}</button>
    <p id="password-message" class="message" aria-live="assertive" hidden></p>
    <p><button type="button" id="other-code" class="link">${t('signUp.otherCode')}</button></p>
  </form>
</section>
<p class="muted">${t('signUp.haveAccount')} <a href="/sign-in">${t('signUp.signInLink')}</a></p>`,
};

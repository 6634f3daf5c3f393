import { passwordResetScript } from '../client/password-reset';
import { html } from '../html';
import type { PageSpec } from '../page';
import { passwordRulesList } from './password-rules';

/** `/password-reset`: a reset code from an admin (typed, or in the address's fragment) → a new password. */
export const passwordResetPage: PageSpec = {
  title: 'passwordReset.title',
  width: 'narrow',
  scripts: [passwordResetScript],
  clientStrings: ['passwordReset.', 'password.'],
  body: (t) => html`
<h1>${t('passwordReset.title')}</h1>
<p class="lead">${t('passwordReset.lead')}</p>
<form id="code-form" method="post" novalidate hidden data-scripted>
  <div class="field">
    <label for="reset-code">${t('passwordReset.codeLabel')}</label>
    <p id="reset-code-hint" class="hint">${t('passwordReset.codeHint')}</p>
    <input id="reset-code" name="resetCode" type="text" autocomplete="one-time-code" autocapitalize="characters" autocorrect="off" spellcheck="false" aria-describedby="reset-code-hint reset-code-error" required>
    <p id="reset-code-error" class="field-error"></p>
  </div>
  <button type="submit" class="primary-action">${t('passwordReset.check')}</button>
  <p id="code-message" class="message" aria-live="assertive" hidden></p>
</form>
<section id="password-step" aria-labelledby="password-step-title" hidden>
  <h2 id="password-step-title" tabindex="-1">${t('passwordReset.codeAccepted')}</h2>
  <p id="resetting"></p>
  <div class="identifier-card">
    <p class="note">${t('passwordReset.identifierLabel')}</p>
    <p id="identifier" class="identifier"></p>
  </div>
  <form id="password-form" method="post" novalidate>
    <h2>${t('passwordReset.choosePassword')}</h2>
    <input id="username" name="username" type="text" autocomplete="username" class="offscreen" tabindex="-1" aria-hidden="true" readonly>
    <div class="field">
      <label for="new-password">${t('password.new')}</label>
      ${passwordRulesList(t, 'new-password-rules')}
      <input id="new-password" name="password" type="password" autocomplete="new-password" aria-describedby="new-password-rules new-password-error" required>
      <p id="new-password-error" class="field-error"></p>
      <label class="check"><input id="show-password" type="checkbox"> ${t('password.show')}</label>
    </div>
    <button type="submit" class="primary-action">${t('passwordReset.submit')}</button>
    <p id="password-message" class="message" aria-live="assertive" hidden></p>
    <p><button type="button" id="other-code" class="link">${t('passwordReset.otherCode')}</button></p>
  </form>
</section>
<p class="muted">${t('passwordReset.remember')} <a href="/sign-in">${t('passwordReset.signInLink')}</a></p>`,
};

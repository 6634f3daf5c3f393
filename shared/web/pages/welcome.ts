import { welcomeScript } from '../client/welcome';
import { html } from '../html';
import type { PageSpec } from '../page';

/** `/welcome`: where a person lands once signed in (GET /v1/me). */
export const welcomePage: PageSpec = {
  title: 'welcome.title',
  width: 'narrow',
  scripts: [welcomeScript],
  clientStrings: ['welcome.', 'role.'],
  body: (t) => html`
<section id="profile" aria-labelledby="greeting" hidden>
  <h1 id="greeting" tabindex="-1">${t('welcome.title')}</h1>
  <dl class="facts">
    <dt>${t('welcome.organization')}</dt><dd id="organization"></dd>
    <dt>${t('welcome.role')}</dt><dd id="role"></dd>
    <dt>${t('welcome.groups')}</dt><dd><ul id="groups"></ul></dd>
  </dl>
  <div class="identifier-card">
    <p class="note">${t('welcome.identifierLabel')}</p>
    <p id="identifier" class="identifier"></p>
    <button type="button" id="copy-identifier" class="secondary">${t('signUp.copyIdentifier')}</button>
    <p>${t('welcome.keepIdentifier')}</p>
  </div>
  <p id="admin-link" hidden><a class="button" href="/admin">${t('welcome.adminConsole')}</a></p>
</section>
<section id="signed-out" hidden>
  <h1>${t('welcome.title')}</h1>
  <p>${t('welcome.signedOut')}</p>
  <p><a class="button" href="/sign-in">${t('welcome.signIn')}</a></p>
</section>
<p id="welcome-message" class="message" aria-live="assertive" hidden></p>`,
};

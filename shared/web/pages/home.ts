import { html } from '../html';
import type { PageSpec } from '../page';

/** `/`: where a person with an access code and one with a password each find their way. */
export const homePage: PageSpec = {
  title: 'home.title',
  width: 'narrow',
  body: (t) => html`
<h1>${t('home.title')}</h1>
<p class="lead">${t('home.lead')}</p>
<div class="choices">
  <a class="button" href="/sign-up">${t('home.haveCode')}</a>
  <a class="button secondary" href="/sign-in">${t('home.signIn')}</a>
</div>
<p class="muted">${t('home.admins')}</p>`,
};

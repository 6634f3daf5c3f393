import { passwordRules } from '../../auth/passwords';
import { html, type SafeHtml } from '../html';
import type { Translate } from '../i18n';

/** The password rules, shown before the person types (the field's description). */
export const passwordRulesList = (t: Translate, id: string): SafeHtml => html`
<ul id="${id}" class="rules">
  <li>${t('password.ruleMin', { min: passwordRules.minCharacters })}</li>
  <li>${t('password.ruleMax', { max: passwordRules.maxBytes })}</li>
  <li>${t('password.ruleCommon')}</li>
</ul>`;

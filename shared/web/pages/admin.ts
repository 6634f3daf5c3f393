import * as consoleScripts from '../client/console/index';
import { html } from '../html';
import { uidPattern } from '../../schemas/invitations';
import { apiKeyScopes } from '../../schemas/api-keys';
import type { Translate } from '../i18n';
import type { PageSpec } from '../page';

const statusOptions = (t: Translate) => html`
<option value="">${t('admin.invitations.allStatuses')}</option>
${(['pending', 'accepted', 'revoked', 'expired'] as const).map((status) => html`<option value="${status}">${t(`status.${status}`)}</option>`)}`;

/** What the file picker offers: the extensions and MIME types of the sheets an import reads. */
const importAccept = [
  '.xlsx',
  '.xls',
  '.ods',
  '.csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
  'application/vnd.oasis.opendocument.spreadsheet',
  'text/csv',
].join(',');

const sections = ['settings', 'groups', 'invite', 'invitations', 'users', 'import', 'export', 'audit', 'api-keys'] as const;

/** `/admin`: the organisation's console; every part calls the /v1 admin API. */
export const adminPage: PageSpec = {
  title: 'admin.title',
  width: 'wide',
  scripts: [
    consoleScripts.consoleKit,
    consoleScripts.consoleShell,
    consoleScripts.settingsSection,
    consoleScripts.groupsSection,
    consoleScripts.inviteSection,
    consoleScripts.lettersKit,
    consoleScripts.invitationsSection,
    consoleScripts.userEditForm,
    consoleScripts.userPasswordHelp,
    consoleScripts.userAccountActions,
    consoleScripts.userPanel,
    consoleScripts.usersSection,
    consoleScripts.importSection,
    consoleScripts.exportSection,
    consoleScripts.auditSection,
    consoleScripts.apiKeysSection,
  ],
  clientStrings: ['admin.', 'audit.', 'role.', 'status.', 'password.'],
  uploads: true,
  body: (t) => html`
<h1>${t('admin.title')}</h1>
<p id="admin-message" class="message" aria-live="assertive" hidden></p>
<section id="need-sign-in" class="panel" aria-labelledby="need-sign-in-title" tabindex="-1" hidden>
  <h2 id="need-sign-in-title" tabindex="-1">${t('admin.needSignIn')}</h2>
  <p><a class="button" href="/sign-in">${t('admin.signIn')}</a></p>
</section>
<section id="not-admin" class="panel" hidden>
  <p>${t('admin.notAdmin')}</p>
  <p><a href="/welcome">${t('admin.toWelcome')}</a></p>
</section>
<div id="console" hidden>
<p id="admin-organization" class="lead"></p>
<nav class="sections" aria-label="${t('admin.sectionsLabel')}"><ul>
${sections.map((id) => html`<li><a href="#${id}">${t(`admin.${id}.title`)}</a></li>`)}
</ul></nav>

<section id="settings" class="area" aria-labelledby="settings-title">
  <h2 id="settings-title">${t('admin.settings.title')}</h2>
  <form id="settings-form" novalidate>
    <label class="check"><input id="sign-in-without-email" type="checkbox" aria-describedby="sign-in-without-email-hint"> ${t('admin.settings.feature')}</label>
    <p id="sign-in-without-email-hint" class="hint">${t('admin.settings.featureHint')}</p>
    <div class="field">
      <label for="code-ttl">${t('admin.settings.ttl')}</label>
      <input id="code-ttl" type="number" inputmode="numeric" min="1" max="365" step="1" aria-describedby="code-ttl-error">
      <p id="code-ttl-error" class="field-error"></p>
    </div>
    <div class="field">
      <label for="reset-ttl">${t('admin.settings.resetTtl')}</label>
      <input id="reset-ttl" type="number" inputmode="numeric" min="1" max="720" step="1" aria-describedby="reset-ttl-error">
      <p id="reset-ttl-error" class="field-error"></p>
    </div>
    <button type="submit">${t('admin.settings.save')}</button>
    <p id="settings-message" class="message" aria-live="polite" hidden></p>
  </form>
</section>

<section id="groups" class="area" aria-labelledby="groups-title">
  <h2 id="groups-title">${t('admin.groups.title')}</h2>
  <p class="hint">${t('admin.groups.hint')}</p>
  <p id="groups-message" class="message" aria-live="polite" hidden></p>
  <table class="cards">
    <thead><tr><th scope="col">${t('admin.groups.name')}</th><th scope="col">${t('admin.groups.default')}</th><th scope="col">${t('common.actions')}</th></tr></thead>
    <tbody id="group-rows"></tbody>
  </table>
  <p id="groups-empty" class="muted" hidden>${t('admin.groups.empty')}</p>
  <h3>${t('admin.groups.add')}</h3>
  <form id="group-form" novalidate>
    <div class="field">
      <label for="group-name">${t('admin.groups.name')}</label>
      <input id="group-name" type="text" maxlength="100" aria-describedby="group-name-error">
      <p id="group-name-error" class="field-error"></p>
    </div>
    <label class="check"><input id="group-default" type="checkbox"> ${t('admin.groups.defaultLabel')}</label>
    <button type="submit">${t('admin.groups.addButton')}</button>
    <p id="group-form-message" class="message" aria-live="assertive" hidden></p>
  </form>
</section>

<section id="invite" class="area" aria-labelledby="invite-title">
  <h2 id="invite-title">${t('admin.invite.title')}</h2>
  <p class="hint">${t('admin.invite.hint')}</p>
  <form id="invite-form" novalidate>
    <div class="field">
      <label for="invite-uid">${t('admin.invite.uid')}</label>
      <p id="invite-uid-hint" class="hint">${t('admin.invite.uidRule')}</p>
      <input id="invite-uid" type="text" pattern="${uidPattern.source}" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="64" aria-describedby="invite-uid-hint invite-uid-error">
      <p id="invite-uid-error" class="field-error"></p>
    </div>
    <fieldset>
      <legend>${t('admin.invite.role')}</legend>
      <label class="check"><input type="radio" name="role" value="member" checked> ${t('role.member')} — ${t('admin.invite.memberHint')}</label>
      <label class="check"><input type="radio" name="role" value="guest"> ${t('role.guest')} — ${t('admin.invite.guestHint')}</label>
    </fieldset>
    <fieldset>
      <legend>${t('admin.invite.groups')}</legend>
      <div id="invite-groups"></div>
    </fieldset>
    <div class="field">
      <label for="invite-first-name">${t('admin.invite.firstName')}</label>
      <input id="invite-first-name" type="text" autocomplete="off" maxlength="100">
    </div>
    <div class="field">
      <label for="invite-last-name">${t('admin.invite.lastName')}</label>
      <input id="invite-last-name" type="text" autocomplete="off" maxlength="100">
    </div>
    <button type="submit">${t('admin.invite.submit')}</button>
    <p id="invite-message" class="message" aria-live="assertive" hidden></p>
  </form>
  <div id="invite-result" class="result" role="status" tabindex="-1" hidden></div>
</section>

<section id="invitations" class="area" aria-labelledby="invitations-title">
  <h2 id="invitations-title">${t('admin.invitations.title')}</h2>
  <form id="invitation-filter" class="filters" novalidate role="search" aria-label="${t('admin.invitations.filterLabel')}">
    <div class="field">
      <label for="invitation-status">${t('admin.invitations.status')}</label>
      <select id="invitation-status">${statusOptions(t)}</select>
    </div>
    <div class="field">
      <label for="invitation-role">${t('admin.invitations.role')}</label>
      <select id="invitation-role"><option value="">${t('admin.users.allRoles')}</option><option value="member">${t('role.member')}</option><option value="guest">${t('role.guest')}</option></select>
    </div>
    <div class="field">
      <label for="invitation-q">${t('admin.invitations.search')}</label>
      <input id="invitation-q" type="search" pattern="${uidPattern.source}" autocapitalize="none" spellcheck="false" aria-describedby="invitation-q-error">
      <p id="invitation-q-error" class="field-error"></p>
    </div>
    <div class="field"><button type="submit" class="secondary">${t('common.apply')}</button></div>
  </form>
  <p id="invitations-message" class="message" aria-live="polite" hidden></p>
  <div class="letters">
    <h3>${t('admin.letters.title')}</h3>
    <p class="hint">${t('admin.letters.hint')}</p>
    <div class="actions"><button type="button" id="letters-print-letters" class="secondary">${t('admin.letters.printLetters')}</button><button type="button" id="letters-print-cards" class="secondary">${t('admin.letters.printCards')}</button></div>
    <div id="letters-result" role="status" hidden></div>
  </div>
  <table class="cards">
    <thead><tr>
      <th scope="col">${t('admin.invitations.uid')}</th><th scope="col">${t('admin.invitations.identifier')}</th><th scope="col">${t('admin.invitations.role')}</th>
      <th scope="col">${t('admin.invitations.status')}</th><th scope="col">${t('admin.invitations.expires')}</th><th scope="col">${t('common.actions')}</th>
    </tr></thead>
    <tbody id="invitation-rows"></tbody>
  </table>
  <p id="invitations-empty" class="muted" hidden>${t('admin.invitations.empty')}</p>
  <button type="button" id="invitations-more" class="secondary" hidden>${t('common.more')}</button>
</section>

<section id="users" class="area" aria-labelledby="users-title">
  <h2 id="users-title">${t('admin.users.title')}</h2>
  <form id="user-filter" class="filters" novalidate role="search" aria-label="${t('admin.users.filterLabel')}">
    <div class="field">
      <label for="user-q">${t('admin.users.search')}</label>
      <input id="user-q" type="search" autocapitalize="none" spellcheck="false" aria-describedby="user-q-error">
      <p id="user-q-error" class="field-error"></p>
    </div>
    <div class="field">
      <label for="user-role">${t('admin.users.role')}</label>
      <select id="user-role">
        <option value="">${t('admin.users.allRoles')}</option>
        <option value="admin">${t('role.admin')}</option><option value="member">${t('role.member')}</option><option value="guest">${t('role.guest')}</option>
      </select>
    </div>
    <div class="field">
      <label for="user-status">${t('admin.users.status')}</label>
      <select id="user-status">
        <option value="">${t('admin.users.allStatuses')}</option>
        <option value="active">${t('status.active')}</option><option value="deactivated">${t('status.deactivated')}</option>
      </select>
    </div>
    <div class="field">
      <label for="user-group">${t('admin.users.group')}</label>
      <select id="user-group"><option value="">${t('admin.users.allGroups')}</option></select>
    </div>
    <div class="field"><button type="submit" class="secondary">${t('common.apply')}</button></div>
  </form>
  <p id="users-message" class="message" aria-live="polite" tabindex="-1" hidden></p>
  <table class="cards">
    <thead><tr>
      <th scope="col">${t('admin.users.identifier')}</th><th scope="col">${t('admin.users.name')}</th><th scope="col">${t('admin.users.role')}</th><th scope="col">${t('admin.users.status')}</th>
      <th scope="col">${t('admin.users.groups')}</th><th scope="col">${t('admin.users.lastSignIn')}</th><th scope="col">${t('common.actions')}</th>
    </tr></thead>
    <tbody id="user-rows"></tbody>
  </table>
  <p id="users-empty" class="muted" hidden>${t('admin.users.empty')}</p>
  <button type="button" id="users-more" class="secondary" hidden>${t('common.more')}</button>
</section>

<section id="import" class="area" aria-labelledby="import-title">
  <h2 id="import-title">${t('admin.import.title')}</h2>
  <p class="hint">${t('admin.import.hint')}</p>
  <div id="import-help">
    <h3>${t('admin.import.help')}</h3>
    <p>${t('admin.import.formats')}</p>
    <ul>
      <li>${t('admin.import.column.uid')}</li>
      <li>${t('admin.import.column.firstName')}</li>
      <li>${t('admin.import.column.lastName')}</li>
      <li>${t('admin.import.column.role')}</li>
      <li>${t('admin.import.column.groups')}</li>
    </ul>
    <p>${t('admin.import.column.other')}</p>
  </div>
  <p><button type="button" id="import-template" class="secondary">${t('admin.import.template')}</button></p>
  <form id="import-form" novalidate>
    <div class="field">
      <label for="import-file">${t('admin.import.file')}</label>
      <input id="import-file" type="file" accept="${importAccept}" aria-describedby="import-file-error">
      <p id="import-file-error" class="field-error"></p>
    </div>
    <fieldset>
      <legend>${t('admin.import.mode')}</legend>
      <label class="check"><input type="radio" name="import-mode" value="add" checked> ${t('admin.import.mode.add')}</label>
      <label class="check"><input type="radio" name="import-mode" value="sync" aria-describedby="import-sync-hint"> ${t('admin.import.mode.sync')}</label>
      <p id="import-sync-hint" class="hint">${t('admin.import.mode.syncHint')}</p>
      <label id="import-mass-removal" class="check" hidden><input id="import-allow-mass-removal" type="checkbox"> ${t('admin.import.allowMassRemoval')}</label>
    </fieldset>
    <label class="check"><input id="import-dry-run" type="checkbox"> ${t('admin.import.dryRun')}</label>
    <button type="submit">${t('admin.import.submit')}</button>
    <p id="import-message" class="message" aria-live="assertive" hidden></p>
  </form>
  <p id="import-status" class="message" role="status" hidden></p>
  <ul id="import-counts" hidden></ul>
  <p id="import-ignored" class="muted" hidden></p>
  <div id="import-progress" hidden>
    <label for="import-bar">${t('admin.import.progress')}</label>
    <progress id="import-bar" max="1" value="0"></progress>
    <p id="import-count" class="muted"></p>
  </div>
  <div id="import-errors" hidden>
    <h3>${t('admin.import.errors')}</h3>
    <table class="cards">
      <thead><tr><th scope="col">${t('admin.import.row')}</th><th scope="col">${t('admin.import.uid')}</th><th scope="col">${t('admin.import.reason')}</th></tr></thead>
      <tbody id="import-error-rows"></tbody>
    </table>
    <p class="muted">${t('admin.import.allInReport')}</p>
    <button type="button" id="import-errors-more" class="secondary" hidden>${t('admin.import.moreErrors')}</button>
  </div>
  <p><button type="button" id="import-report" class="secondary" hidden>${t('admin.import.report')}</button></p>
  <div id="import-letters" hidden>
    <div class="actions"><button type="button" id="import-print-letters" class="secondary"></button><button type="button" id="import-print-cards" class="secondary"></button></div>
    <div id="import-letters-result" role="status" hidden></div>
  </div>
</section>

<section id="export" class="area" aria-labelledby="export-title">
  <h2 id="export-title">${t('admin.export.title')}</h2>
  <p class="hint">${t('admin.export.hint')}</p>
  <button type="button" id="export-start">${t('admin.export.start')}</button>
  <p id="export-message" class="message" aria-live="assertive" hidden></p>
  <p id="export-status" class="message" role="status" hidden></p>
  <p><a id="export-link" class="button secondary" href="#" rel="noreferrer" hidden>${t('admin.export.download')}</a></p>
</section>

<section id="audit" class="area" aria-labelledby="audit-title">
  <h2 id="audit-title">${t('admin.audit.title')}</h2>
  <p><button type="button" id="audit-refresh" class="secondary small">${t('admin.audit.refresh')}</button></p>
  <p id="audit-message" class="message" aria-live="polite" hidden></p>
  <table class="cards">
    <thead><tr><th scope="col">${t('admin.audit.at')}</th><th scope="col">${t('admin.audit.actor')}</th><th scope="col">${t('admin.audit.action')}</th><th scope="col">${t('admin.audit.target')}</th></tr></thead>
    <tbody id="audit-rows"></tbody>
  </table>
  <p id="audit-empty" class="muted" hidden>${t('admin.audit.empty')}</p>
  <button type="button" id="audit-more" class="secondary" hidden>${t('common.more')}</button>
</section>

<section id="api-keys" class="area" aria-labelledby="api-keys-title">
  <h2 id="api-keys-title">${t('admin.api-keys.title')}</h2>
  <p class="hint">${t('admin.api-keys.hint')}</p>
  <p id="api-keys-message" class="message" aria-live="polite" hidden></p>
  <div id="api-key-shown" class="reveal" aria-live="polite" hidden></div>
  <table class="cards">
    <thead><tr><th scope="col">${t('admin.api-keys.name')}</th><th scope="col">${t('admin.api-keys.scopes')}</th><th scope="col">${t('admin.api-keys.created')}</th><th scope="col">${t('admin.api-keys.lastUsed')}</th><th scope="col">${t('common.actions')}</th></tr></thead>
    <tbody id="api-key-rows"></tbody>
  </table>
  <p id="api-keys-empty" class="muted" hidden>${t('admin.api-keys.empty')}</p>
  <h3>${t('admin.api-keys.add')}</h3>
  <form id="api-key-form" novalidate>
    <div class="field">
      <label for="api-key-name">${t('admin.api-keys.name')}</label>
      <input id="api-key-name" type="text" maxlength="100" aria-describedby="api-key-name-error">
      <p id="api-key-name-error" class="field-error"></p>
    </div>
    <fieldset>
      <legend>${t('admin.api-keys.scopes')}</legend>
      ${apiKeyScopes.map((scope) => html`<label class="check"><input type="checkbox" name="api-key-scope" value="${scope}"> ${t(`admin.api-keys.scope.${scope}`)}</label>`)}
    </fieldset>
    <button type="submit">${t('admin.api-keys.addButton')}</button>
    <p id="api-key-form-message" class="message" aria-live="assertive" hidden></p>
  </form>
</section>
<dialog id="confirm-dialog" aria-labelledby="confirm-question">
  <p id="confirm-question"></p>
  <div class="actions"><button type="button" id="confirm-yes" class="danger"></button><button type="button" id="confirm-no" class="secondary" autofocus>${t('common.cancel')}</button></div>
</dialog>
</div>`,
};

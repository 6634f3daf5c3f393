/* global document, window, fetch, URL, URLSearchParams, HTMLInputElement, HTMLSelectElement, HTMLProgressElement */
/**
 * @typedef {{ signInWithoutEmail: boolean; accessCodeTtlDays: number }} Settings
 * @typedef {{ id: string; name: string; isDefault: boolean }} Group
 * @typedef {{ accessCode: string; expiresAt: string }} AccessCode
 * @typedef {{ id: string; uid: string; role: string; status: string; signInIdentifier: string; expiresAt: string; firstName?: string; lastName?: string }} Invitation
 * @typedef {{ id: string; email?: string; signInIdentifier: string; role: string; createdAt: string }} User
 * @typedef {{ at: string; actor: { kind: string; userId?: string }; action: string; target: { type: string; id: string } }} AuditEntry
 * @typedef {{ id: string; uploadUrl: string; uploadMethod?: string; uploadHeaders?: Record<string, string>; maxBytes?: number }} ImportJob
 * @typedef {{ row: number; uid?: string; code: string; message: string }} ImportError
 * @typedef {{ status: string; dryRun: boolean; totalRows: number; processedRows: number; invitedCount: number; failedCount: number; failure?: { code: string; message: string }; errors: ImportError[]; errorsNextCursor: string | null }} ImportState
 * @typedef {{ id: string; status: string; count?: number; downloadUrl?: string; expiresAt?: string }} ExportState
 */

/**
 * /admin in the browser: settings, groups, invitations, users, bulk import, export and the
 * audit log, all through the /v1 API. Sent as source text: self-contained.
 * @param {import('./lib').Lib} lib
 */
export function adminScript(lib) {
  const { t, byId, h, api } = lib;
  /** @type {import('./lib').SessionUser | undefined} */
  let me;
  /** @type {Group[]} */
  let groups = [];

  /** @param {number} ms */
  const pause = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));
  const submitOf = lib.submitButton;
  /**
   * A table cell; data-label names it when the table shows as cards on a phone, where a
   * cell with nothing to show is left out.
   * @param {string} label @param {...(Node | string)} children
   */
  const cell = (label, ...children) => {
    const empty = children.every((child) => (typeof child === 'string' ? child === '' : child.textContent === ''));
    return h('td', { 'data-label': label, 'data-empty': empty }, ...children);
  };
  /** @param {string} status */
  const statusBadge = (status) => h('span', { class: `badge badge-${status}` }, t(`status.${status}`));
  /** @param {string} key @param {string} fallback */
  const textOr = (key, fallback) => {
    const text = t(key);
    return text === key ? fallback : text;
  };

  /** A failed call: an ended session sends back to sign-in, anything else is said in the region. @param {import('./lib').Problem} problem @param {HTMLElement} region */
  function failed(problem, region) {
    if (problem.status === 401) {
      byId('console').hidden = true;
      byId('need-sign-in').hidden = false;
      byId('need-sign-in-title').focus();
      return;
    }
    if (problem.code === 'password_change_required') {
      window.location.assign('/sign-in');
      return;
    }
    lib.say(region, lib.problemText(problem));
  }

  /** Downloads a file the API serves only with the token (a link cannot carry it). @param {string} path @param {string} fileName @param {HTMLElement} region */
  async function download(path, fileName, region) {
    const token = lib.session.get()?.token;
    const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' }).catch(() => undefined);
    if (!response?.ok) {
      /** @type {{ code?: string } | undefined} */
      const json = await response?.json().catch(() => undefined);
      const status = response?.status ?? 0;
      return failed({ status, code: json?.code ?? (status === 0 ? 'network_error' : 'unexpected') }, region);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: fileName, class: 'offscreen' });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /**
   * Downloads a file the API hands out as a presigned link (the import report): asks for the
   * link as JSON, then lets the browser fetch it straight from the bucket, whatever its size.
   * @param {string} path @param {HTMLElement} region
   */
  async function downloadLinked(path, region) {
    const token = lib.session.get()?.token;
    const headers = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(path, { headers, cache: 'no-store', credentials: 'omit' }).catch(() => undefined);
    /** @type {{ code?: string; downloadUrl?: string } | undefined} */
    const json = await response?.json().catch(() => undefined);
    if (!response?.ok || !json?.downloadUrl) {
      const status = response?.status ?? 0;
      return failed({ status, code: json?.code ?? (status === 0 ? 'network_error' : 'unexpected') }, region);
    }
    const link = h('a', { href: json.downloadUrl, rel: 'noreferrer', class: 'offscreen' });
    document.body.append(link);
    link.click();
    link.remove();
  }

  // Settings ---------------------------------------------------------------------------------
  const settingsForm = lib.form('settings-form');
  const featureInput = lib.input('sign-in-without-email');
  const ttlInput = lib.input('code-ttl');
  const settingsMessage = byId('settings-message');

  async function loadSettings() {
    const answer = await api('GET', '/v1/admin/settings');
    if (!answer.ok) return failed(answer.problem, settingsMessage);
    /** @type {Settings} */
    const settings = answer.data;
    featureInput.checked = settings.signInWithoutEmail;
    ttlInput.value = String(settings.accessCodeTtlDays);
  }

  settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(settingsForm);
    const days = Number(ttlInput.value);
    if (!Number.isInteger(days) || days < 1 || days > 365) return lib.fieldError(ttlInput, t('admin.settings.ttlRange'));
    const answer = await lib.busy(submitOf(settingsForm), () => api('PATCH', '/v1/admin/settings', { signInWithoutEmail: featureInput.checked, accessCodeTtlDays: days }));
    if (!answer.ok) return failed(answer.problem, settingsMessage);
    lib.say(settingsMessage, t(answer.data.signInWithoutEmail ? 'admin.settings.savedOn' : 'admin.settings.savedOff'), 'ok');
    void loadAudit(true);
  });

  // Groups -----------------------------------------------------------------------------------
  const groupRows = byId('group-rows');
  const groupsMessage = byId('groups-message');
  const groupForm = lib.form('group-form');
  const groupName = lib.input('group-name');
  const inviteGroups = byId('invite-groups');

  async function loadGroups() {
    /** @type {Group[]} */
    const all = [];
    /** @type {string | null} */
    let cursor = null;
    do {
      /** @type {string} */
      const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      /** @type {import('./lib').Answer<{ items: Group[]; nextCursor: string | null }>} */
      const answer = await api('GET', `/v1/admin/groups?limit=100${query}`);
      if (!answer.ok) return failed(answer.problem, groupsMessage);
      all.push(...answer.data.items);
      cursor = answer.data.nextCursor;
    } while (cursor && all.length < 1000);
    groups = all.sort((a, b) => a.name.localeCompare(b.name, lib.lang));
    renderGroups();
  }

  function renderGroups() {
    byId('groups-empty').hidden = groups.length > 0;
    groupRows.replaceChildren(...groups.map(groupRow));
    const checked = new Set([...inviteGroups.querySelectorAll('input:checked')].map((input) => (input instanceof HTMLInputElement ? input.value : '')));
    const choices = groups.map((group) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'groupIds', value: group.id, checked: checked.has(group.id) }),
        group.isDefault ? t('admin.groups.nameDefault', { name: group.name }) : group.name,
      ),
    );
    inviteGroups.replaceChildren(...(choices.length > 0 ? choices : [h('p', { class: 'muted' }, t('admin.invite.noGroups'))]));
  }

  /** @param {Group} group */
  function groupRow(group) {
    const nameCell = cell(t('admin.groups.name'), group.name);
    const rename = h('button', { type: 'button', class: 'secondary small' }, t('admin.groups.rename'));
    const toggle = h('button', { type: 'button', class: 'secondary small' }, t(group.isDefault ? 'admin.groups.unsetDefault' : 'admin.groups.setDefault'));
    const remove = h('button', { type: 'button', class: 'danger small' }, t('admin.groups.delete'));
    rename.addEventListener('click', () => {
      const input = h('input', { type: 'text', value: group.name, 'aria-label': t('admin.groups.newName', { name: group.name }), maxlength: 100 });
      const save = h('button', { type: 'submit', class: 'small' }, t('common.save'));
      const cancel = h('button', { type: 'button', class: 'secondary small' }, t('common.cancel'));
      const form = h('form', { class: 'inline' }, input, save, cancel);
      cancel.addEventListener('click', () => renderGroups());
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const answer = await lib.busy(save, () => api('PATCH', `/v1/admin/groups/${group.id}`, { name: input.value.trim() }));
        if (!answer.ok) return failed(answer.problem, groupsMessage);
        lib.say(groupsMessage, t('admin.groups.renamed'), 'ok');
        await loadGroups();
      });
      nameCell.replaceChildren(form);
      input.focus();
      input.select();
    });
    toggle.addEventListener('click', async () => {
      const answer = await lib.busy(toggle, () => api('PATCH', `/v1/admin/groups/${group.id}`, { isDefault: !group.isDefault }));
      if (!answer.ok) return failed(answer.problem, groupsMessage);
      lib.say(groupsMessage, t('admin.groups.saved'), 'ok');
      await loadGroups();
    });
    remove.addEventListener('click', async () => {
      if (!window.confirm(t('admin.groups.confirmDelete', { name: group.name }))) return;
      const answer = await lib.busy(remove, () => api('DELETE', `/v1/admin/groups/${group.id}`));
      if (!answer.ok) return failed(answer.problem, groupsMessage);
      lib.say(groupsMessage, t('admin.groups.deleted', { name: group.name }), 'ok');
      await loadGroups();
    });
    return h(
      'tr',
      {},
      nameCell,
      cell(t('admin.groups.default'), group.isDefault ? t('common.yes') : t('common.no')),
      cell(t('common.actions'), h('div', { class: 'actions' }, rename, toggle, remove)),
    );
  }

  groupForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(groupForm);
    const name = groupName.value.trim();
    if (name === '') return lib.fieldError(groupName, t('admin.groups.nameRequired'));
    const isDefault = lib.input('group-default').checked;
    const answer = await lib.busy(submitOf(groupForm), () => api('POST', '/v1/admin/groups', { name, isDefault }));
    if (!answer.ok) {
      if (answer.problem.code === 'group_name_taken') return lib.fieldError(groupName, lib.problemText(answer.problem));
      return failed(answer.problem, byId('group-form-message'));
    }
    groupForm.reset();
    lib.say(groupsMessage, t('admin.groups.created', { name: answer.data.name }), 'ok');
    await loadGroups();
  });

  // Invite -----------------------------------------------------------------------------------
  const inviteForm = lib.form('invite-form');
  const uidInput = lib.input('invite-uid');
  const inviteMessage = byId('invite-message');
  const inviteResult = byId('invite-result');
  const uidRule = /^[A-Za-z0-9]{1,64}$/;

  /** Shows an access code once, with a copy button. @param {HTMLElement} container @param {string} title @param {AccessCode} code @param {string} [identifier] */
  function showCode(container, title, code, identifier) {
    container.replaceChildren(
      h('p', { class: 'reveal-title' }, title),
      identifier ? h('p', {}, t('admin.invite.identifier'), ' ', h('strong', { class: 'mono' }, identifier)) : '',
      h('div', { class: 'copy-row' }, h('p', { class: 'code' }, code.accessCode), lib.copyButton(() => code.accessCode, t('admin.invitations.copyCode'))),
      h('p', { class: 'muted' }, t('admin.invitations.validUntil', { date: lib.formatDate(code.expiresAt) })),
    );
    container.hidden = false;
  }

  inviteForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(inviteForm);
    inviteResult.hidden = true;
    const uid = uidInput.value.trim();
    if (!uidRule.test(uid)) return lib.fieldError(uidInput, t('admin.invite.uidRule'));
    const checkedRole = inviteForm.querySelector('input[name=role]:checked');
    const role = checkedRole instanceof HTMLInputElement ? checkedRole.value : 'member';
    const groupIds = [...inviteGroups.querySelectorAll('input:checked')].map((input) => (input instanceof HTMLInputElement ? input.value : ''));
    const firstName = lib.input('invite-first-name').value.trim();
    const lastName = lib.input('invite-last-name').value.trim();
    const invitation = { uid, role, groupIds, ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}) };
    const answer = await lib.busy(submitOf(inviteForm), () => api('POST', '/v1/admin/invitations', { invitations: [invitation] }));
    if (!answer.ok) {
      const { problem } = answer;
      if (problem.code === 'uid_taken') return lib.fieldError(uidInput, t('problem.uid_taken'));
      if (problem.code === 'unknown_group') void loadGroups();
      if (problem.code === 'validation_failed' && problem.errors?.some((error) => /uid$/.test(error.path))) return lib.fieldError(uidInput, t('admin.invite.uidRule'));
      return failed(problem, inviteMessage);
    }
    /** @type {Invitation & AccessCode} */
    const created = answer.data.items[0];
    showCode(inviteResult, t('admin.invite.created', { uid: created.uid }), created, created.signInIdentifier);
    inviteResult.append(h('p', { class: 'note' }, t('admin.invite.handOver')));
    inviteResult.focus();
    inviteForm.reset();
    void loadInvitations(true);
  });

  // Invitations ------------------------------------------------------------------------------
  const invitationFilter = lib.form('invitation-filter');
  const invitationRows = byId('invitation-rows');
  const invitationsMessage = byId('invitations-message');
  const invitationsMore = lib.button('invitations-more');
  /** @type {string | null} */
  let invitationsCursor = null;

  /** @param {boolean} reset */
  async function loadInvitations(reset) {
    lib.clearErrors(invitationFilter);
    const qInput = lib.input('invitation-q');
    const q = qInput.value.trim();
    if (q !== '' && !uidRule.test(q)) return lib.fieldError(qInput, t('admin.invite.uidRule'));
    const status = byId('invitation-status');
    const params = new URLSearchParams({ limit: '20' });
    if (status instanceof HTMLSelectElement && status.value) params.set('status', status.value);
    if (q) params.set('q', q);
    if (!reset && invitationsCursor) params.set('cursor', invitationsCursor);
    const answer = await lib.busy(reset ? null : invitationsMore, () => api('GET', `/v1/admin/invitations?${params.toString()}`));
    if (!answer.ok) return failed(answer.problem, invitationsMessage);
    /** @type {Invitation[]} */
    const items = answer.data.items;
    const rows = items.map(invitationRow);
    if (reset) invitationRows.replaceChildren(...rows);
    else invitationRows.append(...rows);
    invitationsCursor = answer.data.nextCursor;
    invitationsMore.hidden = invitationsCursor === null;
    byId('invitations-empty').hidden = invitationRows.childElementCount > 0;
  }

  /** @param {Invitation} invitation */
  function invitationRow(invitation) {
    const reveal = h('div', { class: 'reveal', hidden: true, tabindex: -1 });
    const actions = h('div', { class: 'actions' });
    const name = [invitation.firstName, invitation.lastName].filter(Boolean).join(' ');
    if (invitation.status === 'pending') {
      const see = h('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false' }, t('admin.invitations.seeCode'));
      see.addEventListener('click', async () => {
        if (!reveal.hidden) {
          reveal.hidden = true;
          see.textContent = t('admin.invitations.seeCode');
          see.setAttribute('aria-expanded', 'false');
          return;
        }
        const answer = await lib.busy(see, () => api('GET', `/v1/admin/invitations/${invitation.id}/access-code`));
        if (!answer.ok) return failed(answer.problem, invitationsMessage);
        showCode(reveal, t('admin.invitations.codeFor', { uid: invitation.uid }), answer.data);
        see.textContent = t('admin.invitations.hideCode');
        see.setAttribute('aria-expanded', 'true');
        reveal.focus();
        void loadAudit(true);
      });
      actions.append(see);
    }
    if (invitation.status === 'pending' || invitation.status === 'expired') {
      const regenerate = h('button', { type: 'button', class: 'secondary small' }, t('admin.invitations.regenerate'));
      const revoke = h('button', { type: 'button', class: 'danger small' }, t('admin.invitations.revoke'));
      regenerate.addEventListener('click', async () => {
        if (!window.confirm(t('admin.invitations.confirmRegenerate', { uid: invitation.uid }))) return;
        const answer = await lib.busy(regenerate, () => api('POST', `/v1/admin/invitations/${invitation.id}/access-code`));
        if (!answer.ok) return failed(answer.problem, invitationsMessage);
        showCode(reveal, t('admin.invitations.newCodeFor', { uid: invitation.uid }), answer.data);
        reveal.focus();
        void loadAudit(true);
      });
      revoke.addEventListener('click', async () => {
        if (!window.confirm(t('admin.invitations.confirmRevoke', { uid: invitation.uid }))) return;
        const answer = await lib.busy(revoke, () => api('DELETE', `/v1/admin/invitations/${invitation.id}`));
        if (!answer.ok) return failed(answer.problem, invitationsMessage);
        lib.say(invitationsMessage, t('admin.invitations.revoked', { uid: invitation.uid }), 'ok');
        void loadInvitations(true);
        void loadAudit(true);
      });
      actions.append(regenerate, revoke);
    }
    const hasCode = invitation.status === 'pending' || invitation.status === 'expired';
    return h(
      'tr',
      {},
      cell(t('admin.invitations.uid'), h('strong', {}, invitation.uid), name ? h('span', { class: 'muted block' }, name) : ''),
      cell(t('admin.invitations.identifier'), h('span', { class: 'mono' }, invitation.signInIdentifier)),
      cell(t('admin.invitations.role'), t(`role.${invitation.role}`)),
      cell(t('admin.invitations.status'), statusBadge(invitation.status)),
      cell(t('admin.invitations.expires'), hasCode ? lib.formatDate(invitation.expiresAt) : ''),
      cell(t('common.actions'), actions, reveal),
    );
  }

  invitationFilter.addEventListener('submit', (event) => {
    event.preventDefault();
    void loadInvitations(true);
  });
  invitationsMore.addEventListener('click', () => void loadInvitations(false));

  // Users ------------------------------------------------------------------------------------
  const userFilter = lib.form('user-filter');
  const userRows = byId('user-rows');
  const usersMessage = byId('users-message');
  const usersMore = lib.button('users-more');
  /** @type {string | null} */
  let usersCursor = null;

  /** @param {boolean} reset */
  async function loadUsers(reset) {
    lib.clearErrors(userFilter);
    const qInput = lib.input('user-q');
    const q = qInput.value.trim();
    if (q !== '' && !/^[A-Za-z0-9@._+-]{1,254}$/.test(q)) return lib.fieldError(qInput, t('admin.users.searchRule'));
    const role = byId('user-role');
    const params = new URLSearchParams({ limit: '20' });
    if (q) params.set('q', q);
    if (role instanceof HTMLSelectElement && role.value) params.set('role', role.value);
    if (!reset && usersCursor) params.set('cursor', usersCursor);
    const answer = await lib.busy(reset ? null : usersMore, () => api('GET', `/v1/admin/users?${params.toString()}`));
    if (!answer.ok) return failed(answer.problem, usersMessage);
    /** @type {User[]} */
    const items = answer.data.items;
    const rows = items.map(userRow);
    if (reset) userRows.replaceChildren(...rows);
    else userRows.append(...rows);
    usersCursor = answer.data.nextCursor;
    usersMore.hidden = usersCursor === null;
    byId('users-empty').hidden = userRows.childElementCount > 0;
  }

  let passwordForms = 0;
  /** "Change password" opens a small form in the row; only for users without email. @param {User} user @param {HTMLElement} panel */
  function passwordPanel(user, panel) {
    passwordForms += 1;
    const id = `reset-password-${passwordForms}`;
    const input = h('input', { id, type: 'password', autocomplete: 'new-password', 'aria-describedby': `${id}-rules ${id}-error` });
    const show = h('input', { type: 'checkbox', id: `${id}-show` });
    const temporary = h('input', { type: 'checkbox', id: `${id}-temporary`, checked: true });
    const message = h('p', { class: 'message', 'aria-live': 'assertive', hidden: true });
    const save = h('button', { type: 'submit', class: 'small' }, t('admin.users.savePassword'));
    const cancel = h('button', { type: 'button', class: 'secondary small' }, t('common.cancel'));
    lib.showPasswordToggle(show, input);
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('label', { for: id }, t('admin.users.newPasswordFor', { identifier: user.signInIdentifier })),
      h('p', { id: `${id}-rules`, class: 'hint' }, t('password.rulesShort')),
      input,
      h('p', { id: `${id}-error`, class: 'field-error' }),
      h('label', { class: 'check', for: `${id}-show` }, show, t('password.show')),
      h('label', { class: 'check', for: `${id}-temporary` }, temporary, t('admin.users.temporary')),
      h('div', { class: 'actions' }, save, cancel),
      message,
    );
    cancel.addEventListener('click', () => (panel.hidden = true));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      lib.clearErrors(form);
      if (input.value === '') return lib.fieldError(input, t('password.required'));
      const answer = await lib.busy(save, () => api('PUT', `/v1/admin/users/${user.id}/password`, { password: input.value, temporary: temporary.checked }));
      if (!answer.ok) {
        if (lib.passwordProblem(answer.problem, input)) return;
        return failed(answer.problem, message);
      }
      const done = t(temporary.checked ? 'admin.users.passwordSetTemporary' : 'admin.users.passwordSet', { identifier: user.signInIdentifier });
      panel.replaceChildren(h('p', { class: 'message', 'data-kind': 'ok', role: 'status' }, done));
      void loadAudit(true);
    });
    panel.replaceChildren(form);
    panel.hidden = false;
    input.focus();
  }

  /** @param {User} user */
  function userRow(user) {
    const actions = h('div', { class: 'actions' });
    const panel = h('div', { class: 'reveal', hidden: true });
    if (!user.email) {
      const change = h('button', { type: 'button', class: 'secondary small' }, t('admin.users.changePassword'));
      change.addEventListener('click', () => {
        if (panel.hidden) passwordPanel(user, panel);
        else panel.hidden = true;
      });
      actions.append(change);
    }
    return h(
      'tr',
      {},
      cell(t('admin.users.identifier'), h('span', { class: 'mono' }, user.signInIdentifier)),
      cell(t('admin.users.role'), t(`role.${user.role}`)),
      cell(t('admin.users.created'), lib.formatDate(user.createdAt)),
      cell(t('common.actions'), actions, panel),
    );
  }

  userFilter.addEventListener('submit', (event) => {
    event.preventDefault();
    void loadUsers(true);
  });
  usersMore.addEventListener('click', () => void loadUsers(false));

  // Bulk import ------------------------------------------------------------------------------
  const importForm = lib.form('import-form');
  const importFile = lib.input('import-file');
  const importMessage = byId('import-message');
  const importStatus = byId('import-status');
  const importProgress = byId('import-progress');
  const importBar = byId('import-bar');
  const importErrors = byId('import-errors');
  const importReport = lib.button('import-report');
  const templateButton = lib.button('import-template');
  /** @type {string | undefined} */
  let reportOf;

  templateButton.addEventListener('click', () => void lib.busy(templateButton, () => download('/v1/admin/imports/template', 'invitations-template.xlsx', importMessage)));
  importReport.addEventListener('click', () => {
    if (reportOf) void lib.busy(importReport, () => downloadLinked(`/v1/admin/imports/${reportOf}/report`, importMessage));
  });

  /** @param {ImportState} state */
  function showProgress(state) {
    importProgress.hidden = false;
    const total = Math.max(state.totalRows, 0);
    if (importBar instanceof HTMLProgressElement) {
      importBar.max = Math.max(total, 1);
      importBar.value = Math.min(state.processedRows, importBar.max);
    }
    byId('import-count').textContent = total > 0 ? t('admin.import.rows', { processed: state.processedRows, total }) : '';
  }

  const importErrorsMore = lib.button('import-errors-more');
  /** @type {string | null} */
  let importErrorsCursor = null;

  /** The rows with errors, a page at a time (the report has them all). @param {ImportState} state @param {boolean} reset */
  function showImportErrors(state, reset) {
    const rows = state.errors.map((error) =>
      h(
        'tr',
        {},
        cell(t('admin.import.row'), String(error.row)),
        cell(t('admin.import.uid'), error.uid ?? ''),
        cell(t('admin.import.reason'), textOr(`admin.import.reason.${error.code}`, error.message)),
      ),
    );
    const body = byId('import-error-rows');
    if (reset) body.replaceChildren(...rows);
    else body.append(...rows);
    importErrors.hidden = body.childElementCount === 0;
    importErrorsCursor = state.errorsNextCursor;
    importErrorsMore.hidden = importErrorsCursor === null;
  }

  importErrorsMore.addEventListener('click', async () => {
    if (!reportOf || !importErrorsCursor) return;
    const path = `/v1/admin/imports/${reportOf}?errorsCursor=${encodeURIComponent(importErrorsCursor)}`;
    const answer = await lib.busy(importErrorsMore, () => api('GET', path));
    if (!answer.ok) return failed(answer.problem, importMessage);
    showImportErrors(answer.data, false);
  });

  /** Creates the import, PUTs the file straight to the bucket, then follows its progress. @param {File} file @param {boolean} dryRun */
  async function runImport(file, dryRun) {
    const created = await api('POST', '/v1/admin/imports', { fileName: file.name, dryRun });
    if (!created.ok) {
      if (created.problem.code === 'route_not_found') return lib.say(importMessage, t('admin.import.unavailable'));
      return failed(created.problem, importMessage);
    }
    /** @type {ImportJob} */
    const job = created.data;
    if (job.maxBytes && file.size > job.maxBytes) return lib.fieldError(importFile, t('admin.import.tooLarge', { size: Math.floor(job.maxBytes / 1024 / 1024) }));
    lib.say(importStatus, t('admin.import.uploading'), 'info');
    const uploaded = await fetch(job.uploadUrl, { method: job.uploadMethod ?? 'PUT', headers: job.uploadHeaders ?? {}, body: file }).catch(() => undefined);
    if (!uploaded?.ok) {
      lib.say(importStatus, '');
      return lib.say(importMessage, t('admin.import.uploadFailed'));
    }
    lib.say(importStatus, t('admin.import.processing'), 'info');
    for (;;) {
      await pause(1000);
      const answer = await api('GET', `/v1/admin/imports/${job.id}`);
      if (!answer.ok) return failed(answer.problem, importMessage);
      /** @type {ImportState} */
      const state = answer.data;
      showProgress(state);
      if (state.status === 'failed') {
        lib.say(importStatus, '');
        const reason = state.failure ? textOr(`admin.import.failure.${state.failure.code}`, state.failure.message) : '';
        return lib.say(importMessage, t('admin.import.failed', { reason }));
      }
      if (state.status === 'completed') {
        const summary = t(state.dryRun ? 'admin.import.doneDryRun' : 'admin.import.done', { invited: state.invitedCount, failed: state.failedCount, total: state.totalRows });
        lib.say(importStatus, summary, state.failedCount > 0 ? 'info' : 'ok');
        reportOf = job.id;
        showImportErrors(state, true);
        importReport.hidden = false;
        importForm.reset();
        void loadInvitations(true);
        void loadAudit(true);
        return;
      }
    }
  }

  importForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(importForm);
    lib.say(importStatus, '');
    importProgress.hidden = true;
    importErrors.hidden = true;
    importReport.hidden = true;
    const file = importFile.files?.[0];
    if (!file) return lib.fieldError(importFile, t('admin.import.fileRequired'));
    await lib.busy(submitOf(importForm), () => runImport(file, lib.input('import-dry-run').checked));
  });

  // Export -----------------------------------------------------------------------------------
  const exportButton = lib.button('export-start');
  const exportMessage = byId('export-message');
  const exportStatus = byId('export-status');
  const exportLink = byId('export-link');

  async function runExport() {
    const started = await api('POST', '/v1/admin/exports', { kind: 'invitations' });
    if (!started.ok) {
      if (started.problem.code === 'route_not_found') return lib.say(exportMessage, t('admin.export.unavailable'));
      return failed(started.problem, exportMessage);
    }
    lib.say(exportStatus, t('admin.export.running'), 'info');
    /** @type {ExportState} */
    let state = started.data;
    while (state.status === 'running') {
      await pause(1000);
      const answer = await api('GET', `/v1/admin/exports/${started.data.id}`);
      if (!answer.ok) return failed(answer.problem, exportMessage);
      state = answer.data;
    }
    if (state.status !== 'completed' || !state.downloadUrl) {
      lib.say(exportStatus, '');
      return lib.say(exportMessage, t('admin.export.failed'));
    }
    lib.say(exportStatus, t('admin.export.ready', { count: state.count ?? 0, date: lib.formatDate(state.expiresAt) }), 'ok');
    exportLink.setAttribute('href', state.downloadUrl);
    exportLink.hidden = false;
    exportLink.focus();
    void loadAudit(true);
  }

  exportButton.addEventListener('click', async () => {
    lib.say(exportMessage, '');
    lib.say(exportStatus, '');
    exportLink.hidden = true;
    await lib.busy(exportButton, runExport);
  });

  // Audit log --------------------------------------------------------------------------------
  const auditRows = byId('audit-rows');
  const auditMessage = byId('audit-message');
  const auditMore = lib.button('audit-more');
  /** @type {string | null} */
  let auditCursor = null;

  /** @param {AuditEntry['actor']} actor */
  function actorText(actor) {
    if (actor.kind === 'user') return actor.userId && actor.userId === me?.id ? t('admin.audit.you') : (actor.userId ?? '');
    return t(`admin.audit.actor.${actor.kind}`);
  }

  /** @param {boolean} reset */
  async function loadAudit(reset) {
    const params = new URLSearchParams({ limit: '20' });
    if (!reset && auditCursor) params.set('cursor', auditCursor);
    const answer = await lib.busy(reset ? null : auditMore, () => api('GET', `/v1/admin/audit?${params.toString()}`));
    if (!answer.ok) return failed(answer.problem, auditMessage);
    /** @type {AuditEntry[]} */
    const entries = answer.data.items;
    const rows = entries.map((entry) =>
      h(
        'tr',
        {},
        cell(t('admin.audit.at'), lib.formatDate(entry.at)),
        cell(t('admin.audit.actor'), actorText(entry.actor)),
        cell(t('admin.audit.action'), textOr(`audit.${entry.action}`, entry.action)),
        cell(t('admin.audit.target'), h('span', { class: 'mono' }, `${entry.target.type} ${entry.target.id}`)),
      ),
    );
    if (reset) auditRows.replaceChildren(...rows);
    else auditRows.append(...rows);
    auditCursor = answer.data.nextCursor;
    auditMore.hidden = auditCursor === null;
    byId('audit-empty').hidden = auditRows.childElementCount > 0;
  }
  auditMore.addEventListener('click', () => void loadAudit(false));
  byId('audit-refresh').addEventListener('click', () => void loadAudit(true));

  // Start ------------------------------------------------------------------------------------
  async function start() {
    if (!lib.session.get()) {
      byId('need-sign-in').hidden = false;
      return;
    }
    const answer = await api('GET', '/v1/me');
    if (!answer.ok) return failed(answer.problem, byId('admin-message'));
    /** @type {import('./lib').SessionUser} */
    const user = answer.data;
    me = user;
    if (user.mustChangePassword) {
      window.location.assign('/sign-in');
      return;
    }
    lib.enableSignOut();
    if (user.role !== 'admin') {
      byId('not-admin').hidden = false;
      return;
    }
    byId('admin-organization').textContent = t('admin.organization', { name: user.organization.name, domain: user.organization.domain, identifier: user.signInIdentifier });
    byId('console').hidden = false;
    await Promise.all([loadSettings(), loadGroups(), loadInvitations(true), loadUsers(true), loadAudit(true)]);
  }
  void start();
}

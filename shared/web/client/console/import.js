/* global fetch, HTMLProgressElement */
/**
 * Console section: bulk invitations from a spreadsheet, adding or in sync: template in the
 * page's language, upload straight to the bucket, progress, every count, the rows with
 * errors, the report, and letters or cards for the new invitations.
 * @param {import('../lib').Lib} lib
 * @param {import('./types').ConsolePage} page
 */
export function importSection(lib, { kit, shell, letters }) {
  const { t, byId, api } = lib;
  const form = lib.form('import-form');
  const fileInput = lib.input('import-file');
  const message = byId('import-message');
  const status = byId('import-status');
  const progress = byId('import-progress');
  const bar = byId('import-bar');
  const errors = byId('import-errors');
  const counts = byId('import-counts');
  const ignored = byId('import-ignored');
  const massRemoval = byId('import-mass-removal');
  const allowMassRemoval = lib.input('import-allow-mass-removal');
  const reportButton = lib.button('import-report');
  const templateButton = lib.button('import-template');
  const lettersPart = byId('import-letters');
  const lettersResult = byId('import-letters-result');
  const printLetters = lib.button('import-print-letters');
  const printCards = lib.button('import-print-cards');
  /** The import whose errors and report are shown. @type {string | undefined} */
  let shownImport;

  /**
   * @typedef {{ id: string; uploadUrl: string; uploadMethod?: string; uploadHeaders?: Record<string, string>; maxBytes?: number }} ImportJob
   * @typedef {{ row: number; uid?: string; code: string; message: string }} ImportError
   * @typedef {{ status: string; dryRun: boolean; totalRows: number; processedRows: number; invitedCount: number; unchangedCount: number; updatedCount: number; deactivatedCount: number; revokedCount: number; failedCount: number; ignoredColumns: string[]; failure?: { code: string; message: string }; errors: ImportError[]; errorsNextCursor: string | null }} ImportState
   */

  /** The rows with errors, a page at a time (the report has them all). */
  const errorList = kit.pagedList({
    path: () => `/v1/admin/imports/${shownImport}`,
    cursorParam: 'errorsCursor',
    page: (/** @type {ImportState} */ state) => ({ items: state.errors, nextCursor: state.errorsNextCursor }),
    row: (/** @type {ImportError} */ error) =>
      lib.h(
        'tr',
        {},
        kit.cell(t('admin.import.row'), String(error.row)),
        kit.cell(t('admin.import.uid'), error.uid ?? ''),
        kit.cell(t('admin.import.reason'), kit.textOr(`admin.import.reason.${error.code}`, error.message)),
      ),
    rows: byId('import-error-rows'),
    more: lib.button('import-errors-more'),
    message,
  });

  const templateLanguage = lib.lang === 'fr' ? 'fr' : 'en';
  templateButton.addEventListener('click', () => void lib.busy(templateButton, () => kit.download(`/v1/admin/imports/template?language=${templateLanguage}`, 'invitations-template.xlsx', message)));

  /** @returns {'add' | 'sync'} */
  const chosenMode = () => (form.querySelector('input[name="import-mode"][value="sync"]:checked') ? 'sync' : 'add');
  // The mass-removal safety only concerns a sync.
  form.addEventListener('change', () => {
    massRemoval.hidden = chosenMode() !== 'sync';
    if (massRemoval.hidden) allowMassRemoval.checked = false;
  });
  reportButton.addEventListener('click', () => {
    if (shownImport) void lib.busy(reportButton, () => kit.downloadLinked(`/v1/admin/imports/${shownImport}/report`, message));
  });

  for (const [button, layout] of /** @type {const} */ ([[printLetters, 'letter'], [printCards, 'cards']])) {
    button.addEventListener('click', () => {
      const importId = shownImport;
      if (importId) void lib.busy(button, () => letters.run({ filter: { importId, status: ['pending'] }, layout }, lettersResult));
    });
  }

  /** Letters or cards for the invitations the import made, when it made any. @param {ImportState} state */
  function offerLetters(state) {
    lettersResult.hidden = true;
    lettersPart.hidden = state.dryRun || state.invitedCount < 1;
    if (lettersPart.hidden) return;
    printLetters.textContent = letters.countText('admin.letters.importLetters', state.invitedCount);
    printCards.textContent = letters.countText('admin.letters.importCards', state.invitedCount);
  }

  /** @param {ImportState} state */
  function showProgress(state) {
    progress.hidden = false;
    const total = Math.max(state.totalRows, 0);
    if (bar instanceof HTMLProgressElement) {
      bar.max = Math.max(total, 1);
      bar.value = Math.min(state.processedRows, bar.max);
    }
    byId('import-count').textContent = total > 0 ? t('admin.import.rows', { processed: state.processedRows, total }) : '';
  }

  /** Every count, with "would be …" on a dry run. @param {ImportState} state */
  function showCounts(state) {
    const prefix = state.dryRun ? 'admin.import.countDryRun' : 'admin.import.count';
    /** @type {[string, number][]} */
    const all = [
      ['invited', state.invitedCount],
      ['unchanged', state.unchangedCount],
      ['updated', state.updatedCount],
      ['deactivated', state.deactivatedCount],
      ['revoked', state.revokedCount],
      ['failed', state.failedCount],
    ];
    counts.replaceChildren(...all.map(([name, count]) => lib.h('li', { 'data-count': name }, t(/** @type {import('../../i18n').StringKey} */ (`${prefix}.${name}`), { count }))));
    counts.hidden = false;
    const columns = state.ignoredColumns ?? [];
    ignored.textContent = columns.length > 0 ? t('admin.import.ignoredColumns', { columns: columns.join(', ') }) : '';
    ignored.hidden = columns.length === 0;
  }

  /** @param {string} importId @param {ImportState} state */
  function showResult(importId, state) {
    if (state.status === 'failed') {
      lib.say(status, '');
      const failure = state.failure;
      const reason = failure ? kit.textOr(`admin.import.failure.${failure.code}`, failure.message) : '';
      // The server's message carries the numbers; the checkbox is the way to go ahead.
      if (failure?.code === 'sync_removes_too_many') {
        massRemoval.hidden = false;
        return lib.say(message, t('admin.import.failed', { reason: `${reason} ${failure.message}` }));
      }
      return lib.say(message, t('admin.import.failed', { reason }));
    }
    lib.say(status, t(state.dryRun ? 'admin.import.doneDryRun' : 'admin.import.done'), state.failedCount > 0 ? 'info' : 'ok');
    showCounts(state);
    shownImport = importId;
    errorList.show({ items: state.errors, nextCursor: state.errorsNextCursor });
    errors.hidden = state.errors.length === 0;
    reportButton.hidden = false;
    offerLetters(state);
    form.reset();
    massRemoval.hidden = true;
    shell.emit('invitations-changed');
    shell.emit('audit-changed');
  }

  /**
   * Creates the import, PUTs the file straight to the bucket, then follows its progress.
   * @param {File} file @param {{ dryRun: boolean; mode: 'add' | 'sync'; allowMassRemoval: boolean }} options
   */
  async function runImport(file, options) {
    const created = await api('POST', '/v1/admin/imports', { fileName: file.name, ...options });
    if (!created.ok) {
      if (created.problem.code === 'route_not_found') return lib.say(message, t('admin.import.unavailable'));
      return kit.failed(created.problem, message);
    }
    /** @type {ImportJob} */
    const job = created.data;
    if (job.maxBytes && file.size > job.maxBytes) return lib.fieldError(fileInput, t('admin.import.tooLarge', { size: Math.floor(job.maxBytes / 1024 / 1024) }));
    lib.say(status, t('admin.import.uploading'), 'info');
    const uploaded = await fetch(job.uploadUrl, { method: job.uploadMethod ?? 'PUT', headers: job.uploadHeaders ?? {}, body: file }).catch(() => undefined);
    if (!uploaded?.ok) {
      lib.say(status, '');
      return lib.say(message, t('admin.import.uploadFailed'));
    }
    lib.say(status, t('admin.import.processing'), 'info');
    for (;;) {
      await kit.pause(1000);
      const answer = await api('GET', `/v1/admin/imports/${job.id}`);
      if (!answer.ok) return kit.failed(answer.problem, message);
      /** @type {ImportState} */
      const state = answer.data;
      showProgress(state);
      if (state.status === 'failed' || state.status === 'completed') return showResult(job.id, state);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    lib.clearErrors(form);
    lib.say(status, '');
    progress.hidden = true;
    errors.hidden = true;
    counts.hidden = true;
    ignored.hidden = true;
    reportButton.hidden = true;
    lettersPart.hidden = true;
    const file = fileInput.files?.[0];
    if (!file) return lib.fieldError(fileInput, t('admin.import.fileRequired'));
    const mode = chosenMode();
    const options = { dryRun: lib.input('import-dry-run').checked, mode, allowMassRemoval: mode === 'sync' && allowMassRemoval.checked };
    await lib.busy(lib.submitButton(form), () => runImport(file, options));
  });

  shell.register({ id: 'import', show: () => undefined });
}

/** Why a whole import file is refused; each code is documented in the README and has a message in shared/web/i18n.ts. */
export type FileProblem =
  | 'file_too_large'
  | 'not_xlsx'
  | 'archive_too_large'
  | 'too_many_entries'
  | 'archive_inconsistent'
  | 'unreadable'
  | 'empty_sheet'
  | 'no_uid_column'
  | 'too_many_rows';

export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    readonly code: FileProblem,
    message: string,
  ) {
    super(message);
  }
}

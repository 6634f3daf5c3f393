/**
 * Every error the API can answer with, by its stable machine code. This table is the one
 * place that maps a domain failure to an HTTP status; the OpenAPI document lists it too.
 */
export const problemCatalog = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid here' },
  access_code_malformed: { status: 400, title: 'That is not an access code' },
  access_code_invalid: { status: 400, title: 'The access code is not valid' },
  authentication_required: { status: 401, title: 'Sign in first' },
  invalid_token: { status: 401, title: 'The token is not valid' },
  invalid_operator_key: { status: 401, title: 'The operator key is missing or wrong' },
  invalid_credentials: { status: 401, title: 'Wrong identifier or password' },
  forbidden: { status: 403, title: 'Your role does not allow this' },
  feature_disabled: { status: 403, title: 'Sign-in without email is switched off for this organisation' },
  password_change_required: { status: 403, title: 'Choose a new password first' },
  account_deactivated: { status: 403, title: 'This account has been deactivated' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed on this route' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  uid_taken: { status: 409, title: 'A uid is already in use in this organisation' },
  group_name_taken: { status: 409, title: 'A group with this name exists' },
  import_not_finished: { status: 409, title: 'The import has not finished' },
  export_not_finished: { status: 409, title: 'The export has not finished' },
  invitation_not_pending: { status: 409, title: 'The invitation is no longer pending' },
  too_many_letter_runs: { status: 409, title: 'Too many letter runs are under way' },
  access_code_used: { status: 409, title: 'The access code has already been used' },
  sign_up_in_progress: { status: 409, title: 'Another sign-up with this code is under way' },
  access_code_expired: { status: 410, title: 'The access code has expired' },
  unknown_group: { status: 422, title: 'A group does not exist in this organisation' },
  domain_taken: { status: 409, title: 'The domain belongs to another organisation' },
  email_taken: { status: 409, title: 'The email address is already in use' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Send application/json' },
  password_too_short: { status: 422, title: 'The password is too short' },
  password_too_long: { status: 422, title: 'The password is too long' },
  password_too_common: { status: 422, title: 'The password is too common' },
  password_unchanged: { status: 422, title: 'The new password is the current one' },
  user_has_email: { status: 409, title: 'This user has an email address' },
  user_changed_meanwhile: { status: 409, title: 'The user changed meanwhile' },
  last_admin: { status: 409, title: 'An admin cannot remove themself or the last admin' },
  reset_code_invalid: { status: 400, title: 'The reset code is not valid' },
  reset_code_expired: { status: 410, title: 'The reset code has expired' },
  wrong_current_password: { status: 403, title: 'The current password is wrong' },
  too_many_attempts: { status: 429, title: 'Too many attempts; wait and try again' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'The service is busy; try again shortly' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalog;

export interface FieldError {
  path: string;
  message: string;
}

/** A failure the caller can act on; mapped to a problem document by shared/http. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [field: string]: unknown } = {},
  ) {
    super(`${code}: ${detail}`);
  }

  get status(): number {
    return problemCatalog[this.code].status;
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found.`);

import type { Language } from './languages';

/** A text in every language the API answers in: problem titles and details follow Accept-Language. */
export type Wording = Readonly<Record<Language, string>>;

/**
 * Every error the API can answer with, by its stable machine code. This table is the one
 * place that maps a domain failure to an HTTP status; the OpenAPI document lists it too.
 */
export const problemCatalog = {
  validation_failed: { status: 400, title: { en: 'The request is not valid', fr: 'La requête n’est pas valide' } },
  malformed_json: { status: 400, title: { en: 'The body is not valid JSON', fr: 'Le corps n’est pas du JSON valide' } },
  invalid_cursor: { status: 400, title: { en: 'The cursor is not valid here', fr: 'Le curseur n’est pas valide ici' } },
  access_code_malformed: { status: 400, title: { en: 'That is not an access code', fr: 'Ce n’est pas un code d’accès' } },
  access_code_invalid: { status: 400, title: { en: 'The access code is not valid', fr: 'Le code d’accès n’est pas valide' } },
  authentication_required: { status: 401, title: { en: 'Sign in first', fr: 'Connectez-vous d’abord' } },
  invalid_token: { status: 401, title: { en: 'The token is not valid', fr: 'Le jeton n’est pas valide' } },
  invalid_operator_key: { status: 401, title: { en: 'The operator key is missing or wrong', fr: 'La clé d’opérateur manque ou est fausse' } },
  invalid_credentials: { status: 401, title: { en: 'Wrong identifier or password', fr: 'Identifiant ou mot de passe incorrect' } },
  forbidden: { status: 403, title: { en: 'Your role does not allow this', fr: 'Votre rôle ne permet pas cela' } },
  insufficient_scope: { status: 403, title: { en: 'This API key\'s scopes do not reach this route', fr: 'Les portées de cette clé d’API n’atteignent pas cette route' } },
  feature_disabled: { status: 403, title: { en: 'Sign-in without email is switched off for this organisation', fr: 'La connexion sans e-mail est désactivée pour cette organisation' } },
  password_change_required: { status: 403, title: { en: 'Choose a new password first', fr: 'Choisissez d’abord un nouveau mot de passe' } },
  account_deactivated: { status: 403, title: { en: 'This account has been deactivated', fr: 'Ce compte a été désactivé' } },
  not_found: { status: 404, title: { en: 'Not found', fr: 'Introuvable' } },
  route_not_found: { status: 404, title: { en: 'No such route', fr: 'Cette route n’existe pas' } },
  method_not_allowed: { status: 405, title: { en: 'Method not allowed on this route', fr: 'Méthode non autorisée sur cette route' } },
  not_acceptable: { status: 406, title: { en: 'Not acceptable', fr: 'Format non acceptable' } },
  uid_taken: { status: 409, title: { en: 'A uid is already in use in this organisation', fr: 'Un uid est déjà utilisé dans cette organisation' } },
  group_name_taken: { status: 409, title: { en: 'A group with this name exists', fr: 'Un groupe porte déjà ce nom' } },
  import_not_finished: { status: 409, title: { en: 'The import has not finished', fr: 'L’import n’est pas terminé' } },
  export_not_finished: { status: 409, title: { en: 'The export has not finished', fr: 'L’export n’est pas terminé' } },
  invitation_not_pending: { status: 409, title: { en: 'The invitation is no longer pending', fr: 'L’invitation n’est plus en attente' } },
  too_many_letter_runs: { status: 409, title: { en: 'Too many letter runs are under way', fr: 'Trop de tirages de lettres sont en cours' } },
  too_many_api_keys: { status: 409, title: { en: 'The organisation has as many API keys as it may', fr: 'L’organisation a autant de clés d’API qu’elle le peut' } },
  access_code_used: { status: 409, title: { en: 'The access code has already been used', fr: 'Le code d’accès a déjà été utilisé' } },
  sign_up_in_progress: { status: 409, title: { en: 'Another sign-up with this code is under way', fr: 'Une autre inscription avec ce code est en cours' } },
  access_code_expired: { status: 410, title: { en: 'The access code has expired', fr: 'Le code d’accès a expiré' } },
  unknown_group: { status: 422, title: { en: 'A group does not exist in this organisation', fr: 'Un groupe n’existe pas dans cette organisation' } },
  domain_taken: { status: 409, title: { en: 'The domain belongs to another organisation', fr: 'Le domaine appartient à une autre organisation' } },
  email_taken: { status: 409, title: { en: 'The email address is already in use', fr: 'L’adresse e-mail est déjà utilisée' } },
  payload_too_large: { status: 413, title: { en: 'The body is too large', fr: 'Le corps est trop volumineux' } },
  unsupported_media_type: { status: 415, title: { en: 'Send application/json', fr: 'Envoyez du application/json' } },
  password_too_short: { status: 422, title: { en: 'The password is too short', fr: 'Le mot de passe est trop court' } },
  password_too_long: { status: 422, title: { en: 'The password is too long', fr: 'Le mot de passe est trop long' } },
  password_too_common: { status: 422, title: { en: 'The password is too common', fr: 'Le mot de passe est trop courant' } },
  password_unchanged: { status: 422, title: { en: 'The new password is the current one', fr: 'Le nouveau mot de passe est l’actuel' } },
  user_has_email: { status: 409, title: { en: 'This user has an email address', fr: 'Cet utilisateur a une adresse e-mail' } },
  user_changed_meanwhile: { status: 409, title: { en: 'The user changed meanwhile', fr: 'L’utilisateur a changé entre-temps' } },
  last_admin: { status: 409, title: { en: 'An admin cannot remove themself or the last admin', fr: 'Un admin ne peut se retirer lui-même ni retirer le dernier admin' } },
  reset_code_invalid: { status: 400, title: { en: 'The reset code is not valid', fr: 'Le code de réinitialisation n’est pas valide' } },
  reset_code_expired: { status: 410, title: { en: 'The reset code has expired', fr: 'Le code de réinitialisation a expiré' } },
  wrong_current_password: { status: 403, title: { en: 'The current password is wrong', fr: 'Le mot de passe actuel est faux' } },
  too_many_attempts: { status: 429, title: { en: 'Too many attempts; wait and try again', fr: 'Trop de tentatives ; patientez puis réessayez' } },
  too_many_requests: { status: 429, title: { en: 'Too many requests with this API key; wait and try again', fr: 'Trop de requêtes avec cette clé d’API ; patientez puis réessayez' } },
  internal_error: { status: 500, title: { en: 'Something went wrong on our side', fr: 'Une erreur s’est produite de notre côté' } },
  service_unavailable: { status: 503, title: { en: 'The service is busy; try again shortly', fr: 'Le service est occupé ; réessayez sous peu' } },
} as const satisfies Record<string, { status: number; title: Wording }>;

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
    readonly detail: Wording,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [field: string]: unknown } = {},
  ) {
    super(`${code}: ${detail.en}`);
  }

  get status(): number {
    return problemCatalog[this.code].status;
  }
}

/** `what` names the missing thing in each language: { en: 'The group', fr: 'Le groupe' }. */
export const notFound = (what: Wording) => new DomainError('not_found', { en: `${what.en} was not found.`, fr: `${what.fr} est introuvable.` });

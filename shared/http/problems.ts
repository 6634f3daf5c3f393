import { DomainError, problemCatalog, type FieldError, type ProblemCode, type Wording } from '../core/errors';
import type { Language } from '../core/languages';
import { isStoreUnavailable } from '../db/errors';
import type { HttpResult } from './types';

export const problemTypeBase = 'https://emailless.example/problems/';

/** A problem document whose title and detail are in the reader's language; `code` is the same in all. */
export function problemResult(code: ProblemCode, detail: Wording, extra: DomainError['extra'] = {}, language: Language = 'en'): HttpResult {
  const { status, title } = problemCatalog[code];
  const { headers = {}, ...fields } = extra;
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'content-language': language, vary: 'Accept-Language', ...headers },
    body: JSON.stringify({ type: `${problemTypeBase}${code}`, title: title[language], status, detail: detail[language], code, ...fields }),
  };
}

export interface ClassifiedError {
  result: HttpResult;
  /** Unexpected failures are logged with their stack; expected ones are not. */
  unexpected: boolean;
}

const storeUnavailable: Wording = {
  en: 'The data store is busy or unreachable; try again in a moment.',
  fr: 'Le stockage des données est occupé ou injoignable ; réessayez dans un instant.',
};
const internalError: Wording = {
  en: 'The request failed on our side. Quote the request id if you report it.',
  fr: 'La requête a échoué de notre côté. Citez l’identifiant de requête si vous le signalez.',
};

/** Maps any error to a problem document in the reader's language. A 5xx answer carries no internal detail. */
export function classifyError(error: unknown, language: Language = 'en'): ClassifiedError {
  if (error instanceof DomainError) return { result: problemResult(error.code, error.detail, error.extra, language), unexpected: false };
  if (isStoreUnavailable(error)) {
    return { result: problemResult('service_unavailable', storeUnavailable, { headers: { 'retry-after': '1' } }, language), unexpected: true };
  }
  return { result: problemResult('internal_error', internalError, {}, language), unexpected: true };
}

export function validationFailed(detail: Wording, errors: FieldError[]): DomainError {
  return new DomainError('validation_failed', detail, { errors });
}

import { DomainError, problemCatalog, type FieldError, type ProblemCode } from '../core/errors';
import { isStoreUnavailable } from '../db/errors';
import type { HttpResult } from './types';

export const problemTypeBase = 'https://emailless.example/problems/';

export function problemResult(code: ProblemCode, detail: string, extra: DomainError['extra'] = {}): HttpResult {
  const { status, title } = problemCatalog[code];
  const { headers = {}, ...fields } = extra;
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: `${problemTypeBase}${code}`, title, status, detail, code, ...fields }),
  };
}

export interface ClassifiedError {
  result: HttpResult;
  /** Unexpected failures are logged with their stack; expected ones are not. */
  unexpected: boolean;
}

/** Maps any error to a problem document. A 5xx answer carries no internal detail. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof DomainError) return { result: problemResult(error.code, error.detail, error.extra), unexpected: false };
  if (isStoreUnavailable(error)) {
    return {
      result: problemResult('service_unavailable', 'The data store is busy or unreachable; try again in a moment.', { headers: { 'retry-after': '1' } }),
      unexpected: true,
    };
  }
  return { result: problemResult('internal_error', 'The request failed on our side. Quote the request id if you report it.'), unexpected: true };
}

export function validationFailed(detail: string, errors: FieldError[]): DomainError {
  return new DomainError('validation_failed', detail, { errors });
}

import type { z } from 'zod';
import { DomainError, type FieldError } from '../core/errors';
import type { RouteSpec } from '../api/route-spec';
import type { HttpEvent } from './types';
import { validationFailed } from './problems';

/** Larger JSON bodies are refused before parsing. */
export const maxJsonBodyBytes = 64 * 1024;

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

function header(event: HttpEvent, name: string): string | undefined {
  return event.headers?.[name] ?? Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

function rawBodyOf(event: HttpEvent): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > maxJsonBodyBytes) {
    throw new DomainError('payload_too_large', { en: `A JSON body has at most ${maxJsonBodyBytes} bytes.`, fr: `Un corps JSON a au plus ${maxJsonBodyBytes} octets.` });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DomainError('malformed_json', { en: 'The body is not valid UTF-8.', fr: 'Le corps n’est pas de l’UTF-8 valide.' });
  }
}

export function parseBody(route: RouteSpec, event: HttpEvent): unknown {
  if (!route.body) return undefined;
  const contentType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  const raw = rawBodyOf(event);
  if (contentType !== 'application/json') {
    throw new DomainError('unsupported_media_type', { en: 'Send the body as application/json.', fr: 'Envoyez le corps en application/json.' });
  }
  if (raw === undefined) throw validationFailed({ en: 'A JSON body is required.', fr: 'Un corps JSON est requis.' }, [{ path: '(body)', message: 'required' }]);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new DomainError('malformed_json', { en: 'The body is not valid JSON.', fr: 'Le corps n’est pas du JSON valide.' });
  }
  const parsed = route.body.safeParse(json);
  if (!parsed.success) throw validationFailed({ en: 'Some fields are missing or wrong.', fr: 'Des champs manquent ou sont faux.' }, fieldErrors(parsed.error));
  const broken = malformedTextPath(parsed.data);
  if (broken !== undefined) throw validationFailed({ en: 'Text must be valid Unicode.', fr: 'Le texte doit être de l’Unicode valide.' }, [{ path: broken || '(body)', message: 'contains a lone surrogate (\\ud800–\\udfff)' }]);
  return parsed.data;
}

/**
 * The path of a string that UTF-8 cannot carry (a lone surrogate written as a JSON escape),
 * or undefined. Only the validated body is walked, so its depth is bounded by the schema.
 */
function malformedTextPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : path;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = malformedTextPath(inner, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function parseQuery(route: RouteSpec, event: HttpEvent): unknown {
  if (!route.query) return undefined;
  const parsed = route.query.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw validationFailed({ en: 'Some query parameters are wrong.', fr: 'Des paramètres de requête sont faux.' }, fieldErrors(parsed.error));
  return parsed.data;
}

export { header };

import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { accepted } from '../../../shared/http/types';
import { pickLanguage } from '../../../shared/core/languages';
import { startLetters } from '../../../shared/domain/letters';

export const handler = endpoint(routes.createLetters, async ({ principal, body, headers }) => accepted(await startLetters(principal, body, pickLanguage(headers['accept-language']))));

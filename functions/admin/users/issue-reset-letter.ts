import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { created } from '../../../shared/http/types';
import { pickLanguage } from '../../../shared/core/languages';
import { issueResetLetter } from '../../../shared/domain/reset-letter';

export const handler = endpoint(routes.issueResetLetter, async ({ principal, params, headers }) => created(await issueResetLetter(principal, params.userId!, pickLanguage(headers['accept-language']))));

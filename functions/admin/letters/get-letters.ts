import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { describeLetters } from '../../../shared/domain/letters';

export const handler = endpoint(routes.getLetters, async ({ principal, params }) => ok(await describeLetters(principal, params.id!)));

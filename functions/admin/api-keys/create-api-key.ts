import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { created } from '../../../shared/http/types';
import { createApiKey } from '../../../shared/domain/api-keys';

export const handler = endpoint(routes.createApiKey, async ({ principal, body }) => created(await createApiKey(principal, body)));

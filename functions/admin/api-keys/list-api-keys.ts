import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { listApiKeys } from '../../../shared/domain/api-keys';

export const handler = endpoint(routes.listApiKeys, async ({ principal }) => ok(await listApiKeys(principal)));

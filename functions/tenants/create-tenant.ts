import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { created } from '../../shared/http/types';
import { createTenant } from '../../shared/domain/tenants';

export const handler = endpoint(routes.createTenant, async ({ body }) => created(await createTenant(body)));

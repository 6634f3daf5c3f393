import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/types';
import { getTenantDeletion } from '../../shared/domain/tenant-deletion';

export const handler = endpoint(routes.getTenantDeletion, async ({ params }) => ok(await getTenantDeletion(params.tenantId!)));

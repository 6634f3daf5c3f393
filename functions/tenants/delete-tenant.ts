import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { accepted } from '../../shared/http/types';
import { deleteTenant } from '../../shared/domain/tenant-deletion';

export const handler = endpoint(routes.deleteTenant, async ({ params, clientIp }) => accepted(await deleteTenant(params.tenantId!, clientIp)));

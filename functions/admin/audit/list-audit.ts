import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { listAudit } from '../../../shared/domain/audit';

export const handler = endpoint(routes.listAudit, async ({ principal, query }) => ok(await listAudit(principal, query)));

import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { listUsers } from '../../../shared/domain/people';

export const handler = endpoint(routes.listUsers, async ({ principal, query }) => ok(await listUsers(principal, query)));

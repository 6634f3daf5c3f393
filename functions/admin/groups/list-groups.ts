import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { listGroups } from '../../../shared/domain/groups';

export const handler = endpoint(routes.listGroups, async ({ principal, query }) => ok(await listGroups(principal, query)));

import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { updateGroup } from '../../../shared/domain/groups';

export const handler = endpoint(routes.updateGroup, async ({ principal, params, body }) => ok(await updateGroup(principal, params.groupId!, body)));

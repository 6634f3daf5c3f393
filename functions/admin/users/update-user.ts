import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { updateUser } from '../../../shared/domain/people';

export const handler = endpoint(routes.updateUser, async ({ principal, params, body }) => ok(await updateUser(principal, params.userId!, body)));

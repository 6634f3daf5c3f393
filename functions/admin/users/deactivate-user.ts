import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { deactivate } from '../../../shared/domain/people';

export const handler = endpoint(routes.deactivateUser, async ({ principal, params }) => ok(await deactivate(principal, params.userId!)));

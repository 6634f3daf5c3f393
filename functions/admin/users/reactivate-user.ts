import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { reactivate } from '../../../shared/domain/people';

export const handler = endpoint(routes.reactivateUser, async ({ principal, params }) => ok(await reactivate(principal, params.userId!)));

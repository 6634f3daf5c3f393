import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { getUserDetail } from '../../../shared/domain/people';

export const handler = endpoint(routes.getUser, async ({ principal, params }) => ok(await getUserDetail(principal, params.userId!)));

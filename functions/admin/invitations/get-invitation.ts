import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { getInvitation } from '../../../shared/domain/invitations';

export const handler = endpoint(routes.getInvitation, async ({ principal, params }) => ok(await getInvitation(principal, params.id!)));

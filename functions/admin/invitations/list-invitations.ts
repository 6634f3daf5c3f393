import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { listInvitations } from '../../../shared/domain/invitations';

export const handler = endpoint(routes.listInvitations, async ({ principal, query }) => ok(await listInvitations(principal, query)));

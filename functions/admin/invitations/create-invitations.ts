import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { created } from '../../../shared/http/types';
import { inviteMembers } from '../../../shared/domain/invitations';

export const handler = endpoint(routes.createInvitations, async ({ principal, body }) => created(await inviteMembers(principal, body)));

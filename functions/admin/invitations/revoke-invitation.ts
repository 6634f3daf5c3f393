import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { noContent } from '../../../shared/http/types';
import { revokeInvitation } from '../../../shared/domain/invitations';

export const handler = endpoint(routes.revokeInvitation, async ({ principal, params }) => {
  await revokeInvitation(principal, params.id!);
  return noContent();
});

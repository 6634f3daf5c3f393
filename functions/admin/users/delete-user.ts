import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { noContent } from '../../../shared/http/types';
import { removeUser } from '../../../shared/domain/people';

export const handler = endpoint(routes.deleteUser, async ({ principal, params }) => {
  await removeUser(principal, params.userId!);
  return noContent();
});

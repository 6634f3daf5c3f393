import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { noContent } from '../../shared/http/types';
import { changeOwnPassword } from '../../shared/domain/users';

export const handler = endpoint(routes.changeOwnPassword, async ({ principal, body }) => {
  await changeOwnPassword(principal, body);
  return noContent();
});

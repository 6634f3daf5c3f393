import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { noContent } from '../../../shared/http/types';
import { setPasswordByAdmin } from '../../../shared/domain/users';

export const handler = endpoint(routes.setUserPassword, async ({ principal, params, body }) => {
  await setPasswordByAdmin(principal, params.userId!, body);
  return noContent();
});

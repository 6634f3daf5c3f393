import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { noContent } from '../../shared/http/types';
import { signOut } from '../../shared/domain/sessions';

export const handler = endpoint(routes.signOut, async ({ principal }) => {
  await signOut(principal);
  return noContent();
});

import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { noContent } from '../../../shared/http/types';
import { signOutEverywhere } from '../../../shared/domain/people';

export const handler = endpoint(routes.endUserSessions, async ({ principal, params }) => {
  await signOutEverywhere(principal, params.userId!);
  return noContent();
});

import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { noContent } from '../../../shared/http/types';
import { revokeApiKey } from '../../../shared/domain/api-keys';

export const handler = endpoint(routes.revokeApiKey, async ({ principal, params }) => {
  await revokeApiKey(principal, params.id!);
  return noContent();
});

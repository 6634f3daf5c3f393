import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { noContent } from '../../../shared/http/types';
import { deleteGroup } from '../../../shared/domain/groups';

export const handler = endpoint(routes.deleteGroup, async ({ principal, params }) => {
  await deleteGroup(principal, params.groupId!);
  return noContent();
});

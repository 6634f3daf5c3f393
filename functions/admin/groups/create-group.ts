import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { created } from '../../../shared/http/types';
import { createGroup } from '../../../shared/domain/groups';

export const handler = endpoint(routes.createGroup, async ({ principal, body }) => created(await createGroup(principal, body)));

import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { created } from '../../../shared/http/types';
import { regenerateAccessCode } from '../../../shared/domain/invitations';

export const handler = endpoint(routes.regenerateAccessCode, async ({ principal, params }) => created(await regenerateAccessCode(principal, params.id!)));

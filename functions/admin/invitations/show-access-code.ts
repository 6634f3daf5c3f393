import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { showAccessCode } from '../../../shared/domain/invitations';

export const handler = endpoint(routes.showAccessCode, async ({ principal, params }) => ok(await showAccessCode(principal, params.id!)));

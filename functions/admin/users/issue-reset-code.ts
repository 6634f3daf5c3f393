import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { created } from '../../../shared/http/types';
import { issueResetCode } from '../../../shared/domain/password-reset';

export const handler = endpoint(routes.issueResetCode, async ({ principal, params }) => created(await issueResetCode(principal, params.userId!)));

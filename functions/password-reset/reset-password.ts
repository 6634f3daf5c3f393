import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/types';
import { resetPasswordWithCode } from '../../shared/domain/password-reset';

export const handler = endpoint(routes.resetPassword, async ({ body, clientIp }) => ok(await resetPasswordWithCode(body, clientIp)));

import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/types';
import { verifyResetCode } from '../../shared/domain/password-reset';

export const handler = endpoint(routes.verifyResetCode, async ({ body, clientIp }) => ok(await verifyResetCode(body.resetCode, clientIp)));

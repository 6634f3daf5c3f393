import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/types';
import { verifyAccessCode } from '../../shared/domain/sign-up';

export const handler = endpoint(routes.verifyAccessCode, async ({ body, clientIp }) => ok(await verifyAccessCode(body.accessCode, clientIp)));

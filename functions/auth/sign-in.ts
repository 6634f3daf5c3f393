import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/types';
import { prepareSignIn, signIn } from '../../shared/domain/sessions';

export const handler = endpoint(routes.signIn, async ({ body, clientIp }) => ok(await signIn(body, clientIp)));

prepareSignIn();

import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { created } from '../../shared/http/types';
import { signUp } from '../../shared/domain/sign-up';

export const handler = endpoint(routes.signUp, async ({ body, clientIp }) => created(await signUp(body, clientIp)));

import { routes } from '../../infra/routes';
import { endpoint } from '../../shared/http/endpoint';
import { pageReplier } from '../../shared/web/page';
import { signInPage } from '../../shared/web/pages/sign-in';

const reply = pageReplier(signInPage);

export const handler = endpoint(routes.signInPage, (request) => reply(request.headers['accept-language']));

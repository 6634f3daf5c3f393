import { routes } from '../../infra/routes';
import { endpoint } from '../../shared/http/endpoint';
import { pageReplier } from '../../shared/web/page';
import { signUpPage } from '../../shared/web/pages/sign-up';

const reply = pageReplier(signUpPage);

export const handler = endpoint(routes.signUpPage, (request) => reply(request.headers['accept-language']));

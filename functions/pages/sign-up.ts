import { routes } from '../../shared/api/routes';
import { publicEndpoint } from '../../shared/http/public-endpoint';
import { pageReplier } from '../../shared/web/page';
import { signUpPage } from '../../shared/web/pages/sign-up';

const reply = pageReplier(signUpPage);

export const handler = publicEndpoint(routes.signUpPage, (request) => reply(request.headers['accept-language']));

import { routes } from '../../shared/api/routes';
import { publicEndpoint } from '../../shared/http/public-endpoint';
import { pageReplier } from '../../shared/web/page';
import { signInPage } from '../../shared/web/pages/sign-in';

const reply = pageReplier(signInPage);

export const handler = publicEndpoint(routes.signInPage, (request) => reply(request.headers['accept-language']));

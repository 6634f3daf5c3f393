import { routes } from '../../infra/routes';
import { endpoint } from '../../shared/http/endpoint';
import { pageReplier } from '../../shared/web/page';
import { homePage } from '../../shared/web/pages/home';

const reply = pageReplier(homePage);

export const handler = endpoint(routes.homePage, (request) => reply(request.headers['accept-language']));

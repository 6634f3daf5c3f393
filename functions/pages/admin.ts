import { routes } from '../../infra/routes';
import { endpoint } from '../../shared/http/endpoint';
import { pageReplier } from '../../shared/web/page';
import { adminPage } from '../../shared/web/pages/admin';

const reply = pageReplier(adminPage);

export const handler = endpoint(routes.adminPage, (request) => reply(request.headers['accept-language']));

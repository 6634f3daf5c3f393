import { routes } from '../../shared/api/routes';
import { publicEndpoint } from '../../shared/http/public-endpoint';
import { pageReplier } from '../../shared/web/page';
import { adminPage } from '../../shared/web/pages/admin';

const reply = pageReplier(adminPage);

export const handler = publicEndpoint(routes.adminPage, (request) => reply(request.headers['accept-language']));

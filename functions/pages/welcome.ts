import { routes } from '../../shared/api/routes';
import { publicEndpoint } from '../../shared/http/public-endpoint';
import { pageReplier } from '../../shared/web/page';
import { welcomePage } from '../../shared/web/pages/welcome';

const reply = pageReplier(welcomePage);

export const handler = publicEndpoint(routes.welcomePage, (request) => reply(request.headers['accept-language']));

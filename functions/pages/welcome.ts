import { routes } from '../../infra/routes';
import { endpoint } from '../../shared/http/endpoint';
import { pageReplier } from '../../shared/web/page';
import { welcomePage } from '../../shared/web/pages/welcome';

const reply = pageReplier(welcomePage);

export const handler = endpoint(routes.welcomePage, (request) => reply(request.headers['accept-language']));

import { routes } from '../../shared/api/routes';
import { publicEndpoint } from '../../shared/http/public-endpoint';
import { pageReplier } from '../../shared/web/page';
import { passwordResetPage } from '../../shared/web/pages/password-reset';

const reply = pageReplier(passwordResetPage);

export const handler = publicEndpoint(routes.passwordResetPage, (request) => reply(request.headers['accept-language']));

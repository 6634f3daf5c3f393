import { routes } from '../../shared/api/routes';
import { endpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/types';
import { describeMe } from '../../shared/domain/me';

export const handler = endpoint(routes.getMe, ({ principal }) => ok(describeMe(principal)));

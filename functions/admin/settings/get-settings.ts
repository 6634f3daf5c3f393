import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { getSettings } from '../../../shared/domain/settings';

export const handler = endpoint(routes.getSettings, async ({ principal }) => ok(await getSettings(principal)));

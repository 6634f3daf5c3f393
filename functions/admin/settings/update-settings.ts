import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { updateSettings } from '../../../shared/domain/settings';

export const handler = endpoint(routes.updateSettings, async ({ principal, body }) => ok(await updateSettings(principal, body)));

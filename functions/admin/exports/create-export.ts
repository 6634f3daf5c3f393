import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { accepted } from '../../../shared/http/types';
import { startExport } from '../../../shared/domain/exports';

export const handler = endpoint(routes.createExport, async ({ principal, body }) => accepted(await startExport(principal, body)));

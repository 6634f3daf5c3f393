import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { created } from '../../../shared/http/types';
import { startImport } from '../../../shared/domain/imports';

export const handler = endpoint(routes.createImport, async ({ principal, body }) => created(await startImport(principal, body)));

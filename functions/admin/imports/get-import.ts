import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { describeImport } from '../../../shared/domain/imports';

export const handler = endpoint(routes.getImport, async ({ principal, params, query }) => ok(await describeImport(principal, params.id!, query)));

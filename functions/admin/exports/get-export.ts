import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { ok } from '../../../shared/http/types';
import { describeExport } from '../../../shared/domain/exports';

export const handler = endpoint(routes.getExport, async ({ principal, params }) => ok(await describeExport(principal, params.id!)));

import { routes } from '../../infra/routes';
import { endpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/types';
import { openApiDocument } from '../../shared/schemas/openapi';

export const handler = endpoint(routes.getOpenApi, () => ok(openApiDocument()));

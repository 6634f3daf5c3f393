import { routes } from '../../infra/routes';
import { publicEndpoint } from '../../shared/http/public-endpoint';
import { ok } from '../../shared/http/types';
import { openApiDocument } from '../../shared/schemas/openapi';

export const handler = publicEndpoint(routes.getOpenApi, () => ok(openApiDocument()));

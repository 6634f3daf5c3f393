import { routes } from '../../shared/api/routes';
import { publicEndpoint } from '../../shared/http/public-endpoint';
import { ok } from '../../shared/http/types';
import { openApiDocument } from '../../shared/http/openapi';

export const handler = publicEndpoint(routes.getOpenApi, () => ok(openApiDocument()));

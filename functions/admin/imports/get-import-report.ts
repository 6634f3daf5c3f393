import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { redirectToDownload } from '../../../shared/http/types';
import { importReportLink } from '../../../shared/domain/imports';

export const handler = endpoint(routes.getImportReport, async ({ principal, params, headers }) => redirectToDownload(await importReportLink(principal, params.id!), headers.accept));

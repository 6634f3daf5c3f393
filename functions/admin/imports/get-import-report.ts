import { routes } from '../../../infra/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { spreadsheet } from '../../../shared/http/types';
import { importReport } from '../../../shared/domain/imports';

export const handler = endpoint(routes.getImportReport, async ({ principal, params }) => {
  const { file, fileName } = await importReport(principal, params.id!);
  return spreadsheet(file, fileName);
});

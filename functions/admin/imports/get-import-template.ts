import { routes } from '../../../shared/api/routes';
import { endpoint } from '../../../shared/http/endpoint';
import { spreadsheet } from '../../../shared/http/types';
import { importTemplate } from '../../../shared/domain/imports';

export const handler = endpoint(routes.getImportTemplate, ({ query }) => spreadsheet(importTemplate(query.language), query.language === 'fr' ? 'modele-invitations.xlsx' : 'invitations-template.xlsx'));

import { importFiles } from './import-files';

/** The bucket's areas: each file's key starts with its area, then the tenant's id and a slash. */
export const fileAreas = { imports: importFiles.prefix, exports: 'exports/', letters: 'letters/' } as const;

/** Every prefix under which a tenant has files. */
export const tenantFilePrefixes = (tenantId: string): string[] => Object.values(fileAreas).map((area) => `${area}${tenantId}/`);

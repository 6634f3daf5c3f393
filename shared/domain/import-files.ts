/**
 * Where an import's files live. The S3 notification (and the local stack's event wiring)
 * fires for upload keys only, so writing the report does not start another import.
 */
export const importFiles = {
  prefix: 'imports/',
  uploadSuffix: '/upload.xlsx',
  upload: (tenantId: string, importId: string) => `imports/${tenantId}/${importId}/upload.xlsx`,
  report: (tenantId: string, importId: string) => `imports/${tenantId}/${importId}/report.xlsx`,
  parseUpload: (key: string) => {
    const match = /^imports\/([a-z0-9]{1,64})\/([a-z0-9]{1,64})\/upload\.xlsx$/.exec(key);
    return match ? { tenantId: match[1]!, importId: match[2]! } : undefined;
  },
};

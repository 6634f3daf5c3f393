import { writeInvitationsExport } from '../../shared/domain/export-worker';

/** Invoked asynchronously by POST /v1/admin/exports; Lambda retries it on failure. */
export const handler = async (event: { tenantId: string; exportId: string }): Promise<void> => {
  await writeInvitationsExport(event.tenantId, event.exportId);
};

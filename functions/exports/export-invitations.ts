import { writeInvitationsExport } from '../../shared/domain/export-worker';
import { workerHandler } from '../../shared/domain/invocations';

/** Invoked asynchronously by POST /v1/admin/exports; Lambda retries it on failure. */
export const handler = workerHandler(async (event: { tenantId: string; exportId: string }): Promise<void> => {
  await writeInvitationsExport(event.tenantId, event.exportId);
});

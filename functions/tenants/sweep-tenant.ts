import { sweepTenant } from '../../shared/domain/tenant-sweep';
import { workerHandler } from '../../shared/domain/invocations';

/** Invoked asynchronously by DELETE /v1/tenants/{tenantId}, and by itself to go on past its timeout; Lambda retries it on failure. */
export const handler = workerHandler(async (event: { tenantId: string }, context): Promise<void> => {
  await sweepTenant(event.tenantId, context);
});

import { printLetters } from '../../shared/domain/letter-worker';
import { workerHandler } from '../../shared/domain/invocations';

/** Invoked asynchronously by POST /v1/admin/letters; Lambda retries it on failure. */
export const handler = workerHandler(async (event: { tenantId: string; letterRunId: string }): Promise<void> => {
  await printLetters(event.tenantId, event.letterRunId);
});

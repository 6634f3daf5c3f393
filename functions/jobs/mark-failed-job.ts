import { markJobFailed, type FailedInvocation } from '../../shared/domain/job-failures';
import { workerHandler } from '../../shared/domain/invocations';

/** The failure destination of the import and export workers: runs once Lambda has given up on one. */
export const handler = workerHandler(async (event: FailedInvocation): Promise<void> => {
  await markJobFailed(event);
});

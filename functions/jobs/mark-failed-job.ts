import { markJobFailed, type FailedInvocation } from '../../shared/domain/job-failures';

/** The failure destination of the import and export workers: runs once Lambda has given up on one. */
export const handler = async (event: FailedInvocation): Promise<void> => {
  await markJobFailed(event);
};

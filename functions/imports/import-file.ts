import type { S3Event } from 'aws-lambda';
import { importUploadedFile } from '../../shared/domain/import-worker';
import { workerHandler } from '../../shared/domain/invocations';

/** Triggered by S3 for each uploaded import file (bucket notification on imports/…/upload.xlsx). */
export const handler = workerHandler(async (event: S3Event): Promise<void> => {
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated')) continue;
    await importUploadedFile(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')));
  }
});

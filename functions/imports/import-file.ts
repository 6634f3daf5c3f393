import type { S3Event } from 'aws-lambda';
import { importUploadedFile } from '../../shared/domain/import-worker';

/** Triggered by S3 for each uploaded import file (bucket notification on imports/…/upload.xlsx). */
export const handler = async (event: S3Event): Promise<void> => {
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated')) continue;
    await importUploadedFile(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')));
  }
};

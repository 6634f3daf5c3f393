import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '../config';
import { traced } from './tracing';
import { faultsEnabled, injectedS3Error } from '../faults';

/**
 * The one S3 client; locally it talks to s3rver by path-style addresses. Checksums only where
 * S3 requires them: by default the SDK signs a CRC32 of the empty body into presigned PUT URLs,
 * which real S3 then refuses for the real file (aws-sdk-js-v3 issue 6994; s3rver checks nothing).
 */
export const s3 = traced(
  new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}),
  }),
);
const bucket = config.BUCKET_NAME;

if (faultsEnabled) {
  s3.middlewareStack.add((next, context) => (args) => next(args).catch((error: unknown) => Promise.reject(injectedS3Error(context.commandName ?? '', error))), {
    step: 'initialize',
    name: 'injectFaults',
  });
}

/**
 * A missing object answers 404 only to a role that may list the bucket; without that, S3
 * answers 403. The roles have s3:ListBucket on our prefixes, but a 403 on an object that
 * should be there is still taken for "not there": files expire, and an answer beats retrying
 * a worker into its dead-letter queue.
 */
const isMissing = (error: unknown) =>
  ['NotFound', 'NoSuchKey', 'Forbidden', 'AccessDenied'].includes((error as Error).name) || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403;

/** Presigned URLs live this long: enough to upload or download, short enough not to linger. */
export const presignedUrlSeconds = 15 * 60;

/** Signs host and content-type, the headers the client is told to send, and no checksum. */
export function presignUpload(key: string, contentType: string): Promise<string> {
  return getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), {
    expiresIn: presignedUrlSeconds,
    signableHeaders: new Set(['content-type']),
  });
}

export function presignDownload(key: string, fileName: string): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: `attachment; filename="${fileName}"` }), {
    expiresIn: presignedUrlSeconds,
  });
}

/** The object's real size, whatever the uploader claimed; undefined when there is none. */
export async function objectSize(key: string): Promise<number | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ContentLength;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export async function readObject(key: string): Promise<Uint8Array | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body ? await object.Body.transformToByteArray() : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export async function writeObject(key: string, body: Uint8Array, contentType: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

/** The keys under a prefix, a page (at most 1,000) at a time. */
export async function* objectKeysUnder(prefix: string): AsyncGenerator<string[]> {
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
    yield (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
}

/** Deletes up to 1,000 objects in one request; any it could not delete is an error (the caller's run is retried). */
export async function deleteObjects(objectKeys: readonly string[]): Promise<void> {
  if (objectKeys.length === 0) return;
  const answer = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objectKeys.map((Key) => ({ Key })), Quiet: true } }));
  if (answer.Errors && answer.Errors.length > 0) throw new Error(`${answer.Errors.length} objects not deleted (${answer.Errors[0]?.Code ?? 'unknown'})`);
}

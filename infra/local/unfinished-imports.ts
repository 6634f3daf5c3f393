import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportStatus } from '../../shared/db/imports';
import { localDynamoDbClient } from './dynamodb';

/** What an S3 "object created" notification for an upload key carries, as far as the import function reads it. */
export function uploadEvent(bucketName: string, key: string) {
  return { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucketName }, object: { key } } }] };
}

const unfinished: ImportStatus[] = ['awaiting_upload', 'processing'];

/**
 * Upload keys of imports that a stopped stack left unfinished with their file present: the
 * event was not delivered, or the function died midway (kill -9 of the stack). On AWS,
 * Lambda's retry of the event finishes such an import; locally the stack delivers the
 * event again when it starts. An import still awaiting its upload has no file, and is left.
 * A scan, fine for a local table.
 */
export async function unfinishedUploads(options: { dynamoDbEndpoint: string; s3Endpoint: string; tableName: string; bucketName: string }): Promise<string[]> {
  const table = DynamoDBDocumentClient.from(localDynamoDbClient(options.dynamoDbEndpoint));
  const bucket = new S3Client({ endpoint: options.s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  try {
    const keys: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await table.send(
        new ScanCommand({
          TableName: options.tableName,
          FilterExpression: '#type = :import AND #status IN (:awaiting, :processing)',
          ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
          ExpressionAttributeValues: { ':import': 'import', ':awaiting': unfinished[0], ':processing': unfinished[1] },
          ProjectionExpression: 'uploadKey',
          ExclusiveStartKey,
        }),
      );
      keys.push(...(page.Items ?? []).map((item) => item.uploadKey as string));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const present = await Promise.all(
      keys.map((key) =>
        bucket.send(new HeadObjectCommand({ Bucket: options.bucketName, Key: key })).then(
          () => true,
          (error: Error) => {
            if (error.name === 'NotFound' || error.name === 'NoSuchKey') return false;
            throw error;
          },
        ),
      ),
    );
    return keys.filter((_, index) => present[index]);
  } finally {
    table.destroy();
    bucket.destroy();
  }
}

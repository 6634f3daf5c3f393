import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { config } from '../config';
import { s3 } from './bucket';

/** S3 takes parts of 5 MiB or more (but the last); 8 MiB keeps a 50,000-letter file well under 10,000 parts. */
export const partBytes = 8 * 1024 * 1024;

/**
 * A file written to S3 as it is made: bytes are held until a part is full, then sent, so
 * memory stays at about one part whatever the file's size. A file that never fills a part is
 * sent with one PUT. The writer calls `flush` between pieces of work (it waits for a full
 * part to be sent: the back-pressure), and `complete` or `abort` at the end. No checksum is
 * sent (the client computes them only when S3 requires one); the lifecycle rule aborts an
 * upload left behind by a crash (infra/constructs/bucket.ts).
 */
export class StreamedObject {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private uploadId: string | undefined;
  private readonly parts: { ETag: string; PartNumber: number }[] = [];
  bytes = 0;

  constructor(
    private readonly key: string,
    private readonly contentType: string,
  ) {}

  write(chunk: Uint8Array): void {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    this.bytes += chunk.length;
  }

  async flush(): Promise<void> {
    if (this.heldBytes >= partBytes) await this.sendPart();
  }

  async complete(): Promise<void> {
    if (this.uploadId === undefined) {
      await s3.send(new PutObjectCommand({ Bucket: config.BUCKET_NAME, Key: this.key, Body: this.take(), ContentType: this.contentType }));
      return;
    }
    if (this.heldBytes > 0) await this.sendPart();
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: config.BUCKET_NAME, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts } }));
  }

  /** Gives up the parts sent so far; an error here is not worth masking the one that caused it. */
  async abort(): Promise<void> {
    if (this.uploadId === undefined) return;
    await s3.send(new AbortMultipartUploadCommand({ Bucket: config.BUCKET_NAME, Key: this.key, UploadId: this.uploadId })).catch(() => undefined);
  }

  private take(): Buffer {
    const body = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    return body;
  }

  private async sendPart(): Promise<void> {
    this.uploadId ??= (await s3.send(new CreateMultipartUploadCommand({ Bucket: config.BUCKET_NAME, Key: this.key, ContentType: this.contentType }))).UploadId!;
    const PartNumber = this.parts.length + 1;
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: config.BUCKET_NAME, Key: this.key, UploadId: this.uploadId, PartNumber, Body: this.take() }));
    this.parts.push({ ETag: ETag!, PartNumber });
  }
}

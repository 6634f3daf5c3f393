import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Key prefixes of the files bucket; uploads, exports and letters hold personal data (letters: codes), so they expire within days. */
export const IMPORTS_PREFIX = 'imports/';
export const EXPORTS_PREFIX = 'exports/';
export const LETTERS_PREFIX = 'letters/';

const secureDefaults = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: BucketEncryption.S3_MANAGED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/** Uploaded spreadsheets (`imports/`), generated exports (`exports/`) and letters (`letters/`), read and written through presigned URLs. */
export class FileBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Log delivery is granted by CDK (bucket ACL, or a bucket policy once cdk.json sets
    // @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy). cdk-nag exempts log targets from S1.
    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      ...secureDefaults,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });

    this.bucket = new Bucket(this, 'Bucket', {
      ...secureDefaults,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [
        { id: 'expire-imports', prefix: IMPORTS_PREFIX, expiration: Duration.days(7) },
        { id: 'expire-exports', prefix: EXPORTS_PREFIX, expiration: Duration.days(2) },
        { id: 'expire-letters', prefix: LETTERS_PREFIX, expiration: Duration.days(2) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Browsers PUT uploads and GET exports straight to S3 with presigned URLs.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedOrigins: ['*'],
          allowedHeaders: ['content-type', 'content-md5', 'x-amz-*'],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
    });
  }
}

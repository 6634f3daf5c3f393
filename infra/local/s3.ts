import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { assertPortFree, freePort } from './ports';

export interface LocalS3 {
  endpoint: string;
  server: S3rver;
  stop(): Promise<void>;
}

/** Lets a browser PUT to presigned URLs, as the bucket's CORS rule does on AWS. */
const corsConfiguration = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
  </CORSRule>
</CORSConfiguration>`;

/**
 * Starts s3rver on 127.0.0.1 with the bucket already made, on `port` (a free one when 0).
 * s3rver keeps objects on disk, under directory. It accepts unsigned requests too: local only.
 */
export async function startLocalS3(options: { directory: string; bucketName: string; port?: number }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const port = options.port || (await freePort());
  await assertPortFree(port, 's3rver');
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucketName, configs: [corsConfiguration] }],
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    server,
    stop: () => server.close(),
  };
}

import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { freePort } from './ports';

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

/** Starts s3rver with the bucket already made. s3rver keeps objects on disk, under directory. */
export async function startLocalS3(options: { directory: string; bucketName: string }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const port = await freePort();
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

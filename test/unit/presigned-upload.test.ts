import { createHash, createHmac } from 'node:crypto';

/**
 * s3rver checks no signature and no checksum, so the local stack cannot show that a presigned
 * upload works on real S3. This checks the URL as S3 would: a SigV4 signature recomputed here,
 * over exactly the method, path, query and headers the client is told to send, and no checksum
 * of any body signed into it (real S3 refuses a PUT whose body does not match a signed checksum).
 */
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
process.env.AWS_REGION = 'eu-west-1';
process.env.BUCKET_NAME = 'emailless-files-test';
delete process.env.S3_ENDPOINT;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
const uriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature S3 computes for a presigned request (AWS SigV4, query-string authentication). */
function expectedSignature(method: string, url: URL, sentHeaders: Record<string, string>): string {
  const query = [...url.searchParams.entries()].filter(([name]) => name !== 'X-Amz-Signature');
  const canonicalQuery = query
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, , ], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders')!.split(';');
  const headers: Record<string, string> = { host: url.host, ...Object.fromEntries(Object.entries(sentHeaders).map(([name, value]) => [name.toLowerCase(), value])) };
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(headers[name] ?? '').trim()}\n`).join('');
  const canonicalRequest = [method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date')!;
  const scope = url.searchParams.get('X-Amz-Credential')!.split('/').slice(1).join('/');
  const [day, region, service] = scope.split('/');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day!), region!), service!), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

describe('the presigned upload URL, as real S3 checks it', () => {
  const uploadHeaders = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  let url: URL;

  beforeAll(async () => {
    const { presignUpload } = await import('../../shared/aws/bucket');
    url = new URL(await presignUpload('imports/tenant/import.xlsx', uploadHeaders['content-type']));
  });

  it('signs no checksum: no x-amz-checksum-* or x-amz-sdk-checksum-algorithm in the query or the signed headers', () => {
    const names = [...url.searchParams.keys()].map((name) => name.toLowerCase());
    expect(names.filter((name) => name.includes('checksum'))).toEqual([]);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).not.toMatch(/checksum/);
  });

  it('signs exactly the headers the client is told to send, and host', () => {
    expect(url.searchParams.get('X-Amz-SignedHeaders')!.split(';').sort()).toEqual(['host', ...Object.keys(uploadHeaders)].sort());
  });

  it('carries a signature that S3 recomputes from a plain PUT with those headers', () => {
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature('PUT', url, uploadHeaders));
    // The same check fails when the client sends anything else in a signed header.
    expect(url.searchParams.get('X-Amz-Signature')).not.toBe(expectedSignature('PUT', url, { 'content-type': 'text/csv' }));
  });

  it('lives 15 minutes', () => {
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
  });
});

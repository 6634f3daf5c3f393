import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

/** What a handler answers; shared/http turns it into the Lambda result. */
export interface Reply<T = unknown> {
  status: number;
  body?: T;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Any JSON-able body, but never a promise someone forgot to await. */
type Body<T> = T extends PromiseLike<unknown> ? never : T;
export const ok = <T>(body: Body<T>): Reply<T> => ({ status: 200, body });
export const created = <T>(body: Body<T>): Reply<T> => ({ status: 201, body });
export const accepted = <T>(body: Body<T>): Reply<T> => ({ status: 202, body });
export const noContent = (): Reply<never> => ({ status: 204 });

/**
 * A redirect to a download (303 See Other, so the follow-up is a GET), with the link in the
 * body too; a caller that asks for JSON gets the body alone, with 200.
 */
export const redirectToDownload = <T extends { downloadUrl: string; expiresAt: string }>(link: T, accept: string | undefined): Reply<T> =>
  /\bapplication\/json\b/i.test(accept ?? '') ? { status: 200, body: link } : { status: 303, body: link, headers: { location: link.downloadUrl } };

/** An .xlsx file as a download. */
export const spreadsheet = (file: Uint8Array, fileName: string): Reply => ({
  status: 200,
  body: Buffer.from(file),
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  headers: { 'content-disposition': `attachment; filename="${fileName}"` },
});

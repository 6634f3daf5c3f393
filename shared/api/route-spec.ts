import type { z } from 'zod';
import type { ProblemCode } from '../core/errors';
import type { ApiKeyScope } from '../schemas/api-keys';

/** Who may call a route: anyone, a signed-in user, an admin of the tenant, or the platform operator. */
export type Access = 'public' | 'user' | 'admin' | 'operator';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route's function may touch; the CDK stack turns this into least-privilege grants. */
export interface Needs {
  table?: 'read' | 'readWrite';
  /** delete: list and delete objects under the tenants' prefixes (the tenant sweep). */
  bucket?: 'read' | 'write' | 'readWrite' | 'delete';
  secrets?: readonly ('operatorKey' | 'codeKey')[];
  /** Workers (infra/workers.ts) it starts in the background. */
  invoke?: readonly ('exportInvitations' | 'printLetters' | 'sweepTenant')[];
  /** The files bucket's origin, which browsers upload to (an address for a page's CSP, not a grant). */
  uploadOrigin?: boolean;
  /** The address people open (PUBLIC_URL), which letters print. */
  publicUrl?: boolean;
}

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path syntax: /v1/admin/groups/{groupId} */
  path: string;
  /** The handler file, relative to the repository root; it exports `handler`. */
  handler: string;
  access: Access;
  /**
   * An admin route an API key with this scope may call (as an admin may). An admin route
   * without one is for people only: API keys get 403 there, as on every user route.
   */
  scope?: ApiKeyScope;
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  response: {
    status: number;
    schema?: z.ZodType;
    contentType?: string;
    /** A redirect: what its Location header points to. */
    location?: string;
    /** The status that answers the same body instead of the redirect to a caller that sends Accept: application/json. */
    jsonStatus?: number;
  };
  /** Problem codes this route answers with beyond the ones every route of its access level has. */
  errors?: readonly ProblemCode[];
  /** The session's one read also fetches the tenant's group names (principal.groupNames). */
  readsGroupNames?: boolean;
  /** Routes a user who must change the password may still call. */
  allowedWhilePasswordChangeRequired?: boolean;
  needs: Needs;
  memoryMb?: number;
  timeoutSeconds?: number;
}

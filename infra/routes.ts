import { CreatedTenant, CreateTenantBody } from '../shared/schemas/tenants';
import { Me, Session, SignInBody } from '../shared/schemas/auth';
import { Settings, UpdateSettingsBody } from '../shared/schemas/settings';
import type { RouteSpec } from '../shared/http/route-spec';

/**
 * The single route table. The CDK stack builds one function and one HTTP API route per
 * entry; the local gateway serves the very same entries. Adding a route is one entry here
 * plus one handler file.
 */
export const routes = {
  createTenant: {
    method: 'POST',
    path: '/v1/tenants',
    handler: 'functions/tenants/create-tenant.ts',
    access: 'operator',
    summary: 'Create an organisation and its first admin',
    body: CreateTenantBody,
    response: { status: 201, schema: CreatedTenant },
    errors: ['domain_taken', 'email_taken', 'password_too_short', 'password_too_long'],
    needs: { table: 'readWrite', secrets: ['operatorKey'] },
    memoryMb: 512,
  },
  signIn: {
    method: 'POST',
    path: '/v1/auth/sign-in',
    handler: 'functions/auth/sign-in.ts',
    access: 'public',
    summary: 'Sign in with an email or uid:domain and a password',
    body: SignInBody,
    response: { status: 200, schema: Session },
    errors: ['invalid_credentials', 'feature_disabled', 'too_many_attempts'],
    needs: { table: 'readWrite' },
    memoryMb: 512,
  },
  signOut: {
    method: 'POST',
    path: '/v1/auth/sign-out',
    handler: 'functions/auth/sign-out.ts',
    access: 'user',
    summary: 'End this session; the token stops working at once',
    response: { status: 204 },
    allowedWhilePasswordChangeRequired: true,
    needs: { table: 'readWrite' },
  },
  getMe: {
    method: 'GET',
    path: '/v1/me',
    handler: 'functions/me/get-me.ts',
    access: 'user',
    summary: 'Who am I: identity, organisation and groups',
    response: { status: 200, schema: Me },
    allowedWhilePasswordChangeRequired: true,
    needs: { table: 'read' },
  },
  getSettings: {
    method: 'GET',
    path: '/v1/admin/settings',
    handler: 'functions/admin/settings/get-settings.ts',
    access: 'admin',
    summary: 'Read the organisation\'s settings',
    response: { status: 200, schema: Settings },
    needs: { table: 'read' },
  },
  updateSettings: {
    method: 'PATCH',
    path: '/v1/admin/settings',
    handler: 'functions/admin/settings/update-settings.ts',
    access: 'admin',
    summary: 'Change some of the organisation\'s settings (recorded in the audit log)',
    body: UpdateSettingsBody,
    response: { status: 200, schema: Settings },
    needs: { table: 'readWrite' },
  },
  getOpenApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'functions/docs/get-openapi.ts',
    access: 'public',
    summary: 'This API\'s OpenAPI 3.1 document',
    response: { status: 200, contentType: 'application/json' },
    needs: {},
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;

export const routeList: readonly (RouteSpec & { name: string })[] = Object.entries(routes).map(([name, spec]) => ({ name, ...spec }));

/**
 * Answers requests that match no route (API Gateway's $default route), so that an unknown
 * path or a wrong method is a problem document like every other error.
 */
export const fallbackRoute = {
  handler: 'functions/system/no-route.ts',
  needs: {},
} as const;

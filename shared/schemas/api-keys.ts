import * as z from 'zod';
import { Id, Timestamp } from './common';

/** What an API key may reach; each admin route of the route table names the one it needs (RouteSpec.scope). */
export const apiKeyScopes = ['invitations', 'users', 'groups', 'imports', 'exports', 'audit:read', 'settings:read'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];
export const ApiKeyScopeSchema = z.enum(apiKeyScopes);

/** Live keys an organisation holds at most: one more is refused (409 too_many_api_keys) until one is revoked. */
export const maxApiKeysPerTenant = 20;

export const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100).meta({ description: 'What the key is for (an HR integration, a script); shown in the list and in the audit log.' }),
  scopes: z
    .array(ApiKeyScopeSchema)
    .min(1)
    .max(apiKeyScopes.length)
    .transform((scopes) => apiKeyScopes.filter((scope) => scopes.includes(scope)))
    .meta({ description: 'The admin routes the key reaches (each route of this document names its scope as the apiKey role); repeats count once.' }),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyBody>;

export const ApiKey = z.object({
  id: Id,
  name: z.string(),
  scopes: z.array(ApiKeyScopeSchema),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.optional().meta({ description: 'The last request the key was admitted to; none before its first.' }),
});
export const CreatedApiKey = ApiKey.omit({ lastUsedAt: true }).extend({
  key: z.string().meta({ description: 'Send as Authorization: Bearer <key>. Shown this once: only its hash is kept.' }),
});
export const ApiKeyList = z.object({ items: z.array(ApiKey) });

import { DomainError } from '../core/errors';
import { admitOperator } from '../domain/operator';
import type { Principal } from '../domain/principal';
import { authenticate } from '../domain/sessions';
import { admitApiKey } from '../domain/api-keys';
import { looksLikeApiKey } from '../auth/tokens';
import { clientIpOf, endpointWith } from './endpoint-core';
import { header } from './parse';
import type { RouteSpec } from '../api/route-spec';
import type { HttpEvent } from './types';

export type { ApiRequest } from './endpoint-core';

/** Who is calling: refuses a missing or bad credential, a wrong role, or a pending password change. */
async function admit(route: RouteSpec, event: HttpEvent): Promise<Principal | undefined> {
  if (route.access === 'public') return undefined;
  if (route.access === 'operator') {
    await admitOperator(header(event, 'x-operator-key'), clientIpOf(event));
    return undefined;
  }
  const authorization = header(event, 'authorization');
  if (!authorization) throw new DomainError('authentication_required', {
      en: 'Send Authorization: Bearer <token>; a token comes from sign-in or sign-up (or send an API key the same way).',
      fr: 'Envoyez Authorization: Bearer <jeton> ; un jeton vient de la connexion ou de l’inscription (ou envoyez une clé d’API de la même façon).',
    });
  const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
  if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
    throw new DomainError('invalid_token', { en: 'The Authorization header must be "Bearer <token>".', fr: 'L’en-tête Authorization doit être « Bearer <jeton> ».' });
  }
  // A key never reaches a person's routes; on an admin route, only with the route's scope.
  if (looksLikeApiKey(token)) return admitApiKey(token, clientIpOf(event), route.access === 'admin' ? route.scope : undefined);
  const principal = await authenticate(token, { withGroupNames: route.readsGroupNames === true });
  if (principal.user.mustChangePassword && !route.allowedWhilePasswordChangeRequired) {
    throw new DomainError('password_change_required', { en: 'Choose a new password with PUT /v1/me/password first.', fr: 'Choisissez d’abord un nouveau mot de passe avec PUT /v1/me/password.' });
  }
  if (route.access === 'admin' && principal.user.role !== 'admin') {
    throw new DomainError('forbidden', { en: 'Only an admin of the organisation may do this.', fr: 'Seul un admin de l’organisation peut faire cela.' });
  }
  return principal;
}

/** The handler builder of every API route: public, user, admin and operator access alike. */
export const endpoint = endpointWith(admit);

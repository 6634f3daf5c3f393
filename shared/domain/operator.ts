import { isOperatorKey } from '../auth/operator-key';
import { DomainError } from '../core/errors';
import { counters, limited } from './throttle';

const isWrongKey = (error: unknown) => error instanceof DomainError && error.code === 'invalid_operator_key';

/** The platform operator's key, with wrong keys counted per client address like wrong passwords. */
export async function admitOperator(givenKey: string | undefined, clientIp: string): Promise<void> {
  await limited(
    [counters.operatorKeyClient(clientIp)],
    async () => {
      if (!(await isOperatorKey(givenKey))) throw new DomainError('invalid_operator_key', { en: 'Send the operator key in the x-operator-key header.', fr: 'Envoyez la clé d’opérateur dans l’en-tête x-operator-key.' });
    },
    isWrongKey,
  );
}

import { DomainError, problemCatalog } from '../../shared/core/errors';
import { classifyError } from '../../shared/http/problems';

const bodyOf = (error: unknown) => JSON.parse(classifyError(error).result.body as string) as Record<string, unknown>;

describe('classifyError', () => {
  it('maps a domain error to its catalogued status and code', () => {
    const { result, unexpected } = classifyError(new DomainError('domain_taken', { en: 'taken', fr: 'pris' }));
    expect(result.statusCode).toBe(409);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(unexpected).toBe(false);
    expect(bodyOf(new DomainError('domain_taken', { en: 'taken', fr: 'pris' }))).toMatchObject({ code: 'domain_taken', status: 409, detail: 'taken' });
  });

  it('answers title and detail in the language asked for, with the same code', () => {
    const error = new DomainError('domain_taken', { en: 'taken', fr: 'pris' });
    const french = classifyError(error, 'fr').result;
    expect(JSON.parse(french.body as string)).toMatchObject({ code: 'domain_taken', title: 'Le domaine appartient à une autre organisation', detail: 'pris' });
    expect(french.headers['content-language']).toBe('fr');
    expect(JSON.parse(classifyError(error, 'en').result.body as string)).toMatchObject({ code: 'domain_taken', title: 'The domain belongs to another organisation', detail: 'taken' });
  });

  it('has a French title for every problem code', () => {
    for (const { title } of Object.values(problemCatalog)) {
      expect(title.fr.trim()).not.toBe('');
      expect(title.fr).not.toBe(title.en);
    }
  });

  it('answers 503 with Retry-After when the store is throttled or down', () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    for (const error of [throttled, refused]) {
      const { result } = classifyError(error);
      expect(result.statusCode).toBe(503);
      expect(result.headers['retry-after']).toBe('1');
    }
  });

  it('hides everything about an unexpected error', () => {
    const error = new Error('secret table name and stack');
    const { result, unexpected } = classifyError(error);
    expect(result.statusCode).toBe(500);
    expect(unexpected).toBe(true);
    expect(result.body).not.toContain('secret');
    expect(result.body).not.toContain('at ');
  });
});

import * as z from 'zod';

export const Id = z.string().min(1).max(64).regex(/^[a-z0-9]+$/, 'an id is lower-case letters and digits');

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'not an email address' }))
  .meta({ description: 'An email address; compared and stored lower-cased.', example: 'ada@acme.example' });

/** Lower-case DNS name: labels of letters, digits and inner hyphens, with a dot-separated TLD. */
export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, 'not a DNS domain name')
  .meta({ description: 'The organisation\'s DNS domain; lower-cased on input.', example: 'acme.example' });

/**
 * A password as typed. Length rules (8 characters, 72 bytes) are checked by the password
 * policy so that they answer with their own codes; this only bounds the work.
 */
export const PasswordInput = z
  .string()
  .min(1)
  .max(1024)
  .meta({ description: 'At least 8 characters after Unicode NFKC normalisation and at most 72 bytes of UTF-8 (bcrypt\'s limit): longer ones are refused with password_too_long, never truncated.', format: 'password' });

export const Timestamp = z.iso.datetime().meta({ description: 'ISO 8601 time in UTC' });

export const Role = z.enum(['admin', 'member', 'guest']);

export const ProblemDocument = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string().meta({ description: 'The x-request-id of the answer; quote it when reporting a problem.' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ description: 'RFC 9457 problem document (application/problem+json).' });

/** 409 uid_taken names the uids that are taken. */
export const UidTakenProblem = ProblemDocument.extend({
  code: z.literal('uid_taken'),
  uids: z.array(z.string()).min(1).meta({ description: 'The uids already held by a user or a pending invitation.' }),
}).meta({ description: 'Problem document of uid_taken: the taken uids in `uids`, each also in `errors`.' });

/** 429 too_many_attempts says when to try again, in the body as in Retry-After. */
export const TooManyAttemptsProblem = ProblemDocument.extend({
  code: z.literal('too_many_attempts'),
  retryAfterSeconds: z.number().int().positive().meta({ description: 'The same number of seconds as the Retry-After header.' }),
}).meta({ description: 'Problem document of too_many_attempts: when to try again in `retryAfterSeconds` and Retry-After.' });

/** 429 too_many_requests (an API key past its limit a minute) says when to try again, like too_many_attempts. */
export const TooManyRequestsProblem = ProblemDocument.extend({
  code: z.literal('too_many_requests'),
  retryAfterSeconds: z.number().int().positive().meta({ description: 'The same number of seconds as the Retry-After header: until the next minute.' }),
}).meta({ description: 'Problem document of too_many_requests: when the key may call again in `retryAfterSeconds` and Retry-After.' });

/**
 * The Powertools Logger as the functions use it (shared/core/logger.ts): what reaches a line,
 * read from the process's own output.
 */
import { loadWithEnvironment, writtenLines } from './process-output';

type LoggerModule = typeof import('../../shared/core/logger');

/** Loads the logger afresh with these environment variables, as a cold start would. */
const loadLogger = (env: Record<string, string | undefined>): LoggerModule => loadWithEnvironment(env, () => jest.requireActual<LoggerModule>('../../shared/core/logger'));

/** The JSON lines written to stdout and stderr while `run` runs. */
const linesOf = async (run: () => unknown) => (await writtenLines(run)).map((line) => JSON.parse(line) as Record<string, unknown>);

const { log, withLogKeys, appendLogKeys } = loadLogger({ LOG_LEVEL: 'info', POWERTOOLS_LOG_LEVEL: undefined, POWERTOOLS_SERVICE_NAME: undefined });

describe('redaction through the Powertools logger', () => {
  it('hides secrets by key, at any depth, and keeps the rest', async () => {
    const lines = await linesOf(() => log('info', 'fields', { userId: 'u1', password: 'hunter22', nested: { accessCode: 'ABCD', list: [{ token: 't' }], count: 2 }, Authorization: 'Bearer x' }));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'fields', service: 'emailless', userId: 'u1', password: '[redacted]', nested: { accessCode: '[redacted]', list: [{ token: '[redacted]' }], count: 2 }, Authorization: '[redacted]' }),
    ]);
  });

  it('keeps problem and failure codes, hides access codes, reset codes, ciphertexts and keys', async () => {
    const [line] = await linesOf(() => log('warn', 'codes', { code: 'uid_taken', failure: 'not_xlsx', accessCode: 'X', access_code: 'Y', resetCode: 'R', codeCiphertext: 'Z', operatorKey: 'K', deviceToken: 'D', cookie: 'C' }));
    expect(line).toMatchObject({ code: 'uid_taken', failure: 'not_xlsx', accessCode: '[redacted]', access_code: '[redacted]', resetCode: '[redacted]', codeCiphertext: '[redacted]', operatorKey: '[redacted]', deviceToken: '[redacted]', cookie: '[redacted]' });
  });

  it('reaches into errors and their causes', async () => {
    const cause = Object.assign(new Error('inner'), { password: 'cause-secret' });
    const error = Object.assign(new Error('outer', { cause }), { resetCode: 'ABCD-EFGH', detail: { token: 'error-token' } });
    const text = JSON.stringify(await linesOf(() => log('error', 'failed', { error })));
    expect(text).toContain('outer');
    expect(text).toContain('inner');
    for (const secret of ['cause-secret', 'ABCD-EFGH', 'error-token']) expect(text).not.toContain(secret);
  });

  it('reaches into the keys of the invocation', async () => {
    const lines = await linesOf(() => withLogKeys({ requestId: 'r1', sessionToken: 'kept-out' }, async () => log('info', 'keyed')));
    expect(lines).toEqual([expect.objectContaining({ requestId: 'r1', sessionToken: '[redacted]' })]);
  });
});

describe('the keys of an invocation', () => {
  it('are on every line of the invocation, from the moment they are known, and on no line after it', async () => {
    const lines = await linesOf(async () => {
      await withLogKeys({ requestId: 'first' }, async () => {
        log('info', 'before the caller is known');
        appendLogKeys({ tenantId: 'tenant-a', userId: 'user-a' });
        await new Promise((resolve) => setTimeout(resolve, 1));
        log('info', 'after an await');
      });
      // The next invocation of a warm instance: nothing of the previous tenant.
      await withLogKeys({ requestId: 'second' }, async () => log('info', 'next invocation'));
      log('info', 'outside any invocation');
    });
    expect(lines.map(({ message, requestId, tenantId, userId }) => ({ message, requestId, tenantId, userId }))).toEqual([
      { message: 'before the caller is known', requestId: 'first', tenantId: undefined, userId: undefined },
      { message: 'after an await', requestId: 'first', tenantId: 'tenant-a', userId: 'user-a' },
      { message: 'next invocation', requestId: 'second', tenantId: undefined, userId: undefined },
      { message: 'outside any invocation', requestId: undefined, tenantId: undefined, userId: undefined },
    ]);
  });

  it('stay apart when invocations of one instance overlap (the local gateway runs them so)', async () => {
    const step = () => new Promise((resolve) => setTimeout(resolve, 2));
    const invocation = (tenantId: string) =>
      withLogKeys({ requestId: `request-${tenantId}` }, async () => {
        appendLogKeys({ tenantId });
        for (let index = 0; index < 3; index++) {
          await step();
          log('info', 'working', { index });
        }
      });
    const lines = await linesOf(() => Promise.all([invocation('a'), invocation('b')]));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line.requestId).toBe(`request-${String(line.tenantId)}`);
  });
});

describe('the log level', () => {
  it('silent prints nothing, at any level', async () => {
    const silent = loadLogger({ LOG_LEVEL: 'silent', POWERTOOLS_LOG_LEVEL: undefined });
    expect(await linesOf(() => ['debug', 'info', 'warn', 'error'].forEach((level) => silent.log(level as 'info', 'hidden')))).toEqual([]);
  });

  it('POWERTOOLS_LOG_LEVEL, as the stack sets it, wins over LOG_LEVEL', async () => {
    const warn = loadLogger({ LOG_LEVEL: 'debug', POWERTOOLS_LOG_LEVEL: 'WARN' });
    const lines = await linesOf(() => ['debug', 'info', 'warn', 'error'].forEach((level) => warn.log(level as 'info', level)));
    expect(lines.map((line) => line.message)).toEqual(['warn', 'error']);
  });

  it('the service is POWERTOOLS_SERVICE_NAME', async () => {
    const named = loadLogger({ LOG_LEVEL: 'info', POWERTOOLS_SERVICE_NAME: 'emailless-prod' });
    expect(await linesOf(() => named.log('info', 'named'))).toEqual([expect.objectContaining({ service: 'emailless-prod' })]);
  });
});

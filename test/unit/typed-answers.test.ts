import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * The route table types the answers: a handler whose body does not match its route's response
 * schema fails the typecheck, so a domain shape cannot drift from the OpenAPI document.
 */
const root = resolve(__dirname, '..', '..');

function diagnosticsOf(source: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const probe = join(root, 'functions', 'probe-handler.ts');
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === probe ? source : readFile(file));
  host.fileExists = ((exists) => (file: string) => file === probe || exists(file))(host.fileExists.bind(host));
  const program = ts.createProgram([probe], parsed.options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(probe)).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

const handlerWith = (answer: string) => `
import { routes } from '../shared/api/routes';
import { endpoint } from '../shared/http/endpoint';
import { ok } from '../shared/http/types';
export const handler = endpoint(routes.verifyAccessCode, async () => ok(${answer}));
`;

test('an answer the route describes type-checks', () => {
  expect(diagnosticsOf(handlerWith("{ signInIdentifier: 'E1:acme.example', role: 'member', organization: { name: 'Acme', domain: 'acme.example' }, expiresAt: '2030-01-01T00:00:00.000Z' }"))).toEqual([]);
}, 60_000);

test('a missing field, a wrong type or a value outside an enum fails the typecheck', () => {
  for (const answer of [
    "{ role: 'member', organization: { name: 'Acme', domain: 'acme.example' }, expiresAt: '2030-01-01T00:00:00.000Z' }",
    "{ signInIdentifier: 42, role: 'member', organization: { name: 'Acme', domain: 'acme.example' }, expiresAt: '2030-01-01T00:00:00.000Z' }",
    "{ signInIdentifier: 'E1:acme.example', role: 'owner', organization: { name: 'Acme', domain: 'acme.example' }, expiresAt: '2030-01-01T00:00:00.000Z' }",
  ]) {
    const diagnostics = diagnosticsOf(handlerWith(answer));
    expect({ answer, failed: diagnostics.length > 0 }).toEqual({ answer, failed: true });
  }
}, 120_000);

import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EmaillessStack } from '../../infra/stack';

type Suppression = { id: string; reason: string };

// The same registration as infra/app.ts; cdk-nag 3 is a policy-validation plugin, so findings
// come from validateScope() (and fail app.synth()), not from stack annotations.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new EmaillessStack(app, 'Emailless');
const checks = new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true });
Validations.of(app).addPlugins(checks);

test('AwsSolutions reports no unacknowledged finding, error or warning', () => {
  const findings = checks
    .validateScope(app)
    .violations.map((violation) => `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`);
  expect(findings).toEqual([]);
});

test('synthesis with the checks registered succeeds and leaves no error or warning annotation', () => {
  expect(() => app.synth()).not.toThrow();
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
});

test('every acknowledgement in the template gives a specific reason', () => {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: Suppression[] } } }>;
  const suppressions = Object.entries(resources).flatMap(([logicalId, resource]) =>
    (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((suppression) => ({ logicalId, ...suppression })),
  );
  expect(suppressions.filter((s) => s.id.startsWith('AwsSolutions-')).length).toBeGreaterThan(0);
  expect(suppressions.filter((s) => s.reason.trim().length < 20)).toEqual([]);
});

import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EmaillessStack } from './stack';

const app = new App();

// `cdk synth -c skipBundling=true` checks the template without running esbuild. The CLI refuses
// `-c aws:cdk:bundling-stacks=[]` (user context may not use the aws: prefix), so it is set here.
if (String(app.node.tryGetContext('skipBundling')) === 'true') {
  app.node.setContext('aws:cdk:bundling-stacks', []);
}

// Without credentials the CLI still sets a default region (us-east-1) but no account; pinning only
// that region would bake it into the template, so the stack stays environment-agnostic instead.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

new EmaillessStack(app, 'Emailless', {
  description: 'Emailless: serverless multi-tenant API for people without an email address',
  env: account && region ? { account, region } : undefined,
});

// cdk-nag 3 runs as a CDK policy-validation plugin (not an aspect): an error fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));

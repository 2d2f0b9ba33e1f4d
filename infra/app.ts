/** The CDK app entry point (`cdk.json`: `npx tsx infra/app.ts`). */
import { buildApp } from './build';

buildApp().app.synth();

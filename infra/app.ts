/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`). `npm run synth` builds Pioneer-City and
 * one Pioneer-<districtId> stack per entry of shared/config/districts.ts;
 * `-c district=<id>` builds the city and that district only. cdk-nag's AwsSolutions pack
 * runs at synth: an unacknowledged finding fails it.
 */
import { App } from 'aws-cdk-lib';
import { buildPioneer } from './pioneer-app.ts';

const app = new App();
buildPioneer(app);
app.synth();

/**
 * Bundle-time stand-in for `@aws-sdk/credential-provider-node` (infra/bundling.ts aliases it).
 * The SDK's default chain would bundle SSO, STS, INI, process and IMDS providers (~100 KB and
 * their nested clients); a Lambda function only ever uses the role credentials that the runtime
 * puts in its environment, which `fromEnv` reads. Local runs are not bundled and keep the SDK's
 * own chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);

import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../infra/local/dynamo.ts';
import { checkJava } from '../../infra/local/java.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the in-memory DynamoDB Local shared by the whole run. */
    dynamoEndpoint: string;
  }
}

/**
 * One in-memory DynamoDB Local for the whole test run, on a free port of 127.0.0.1. Test files
 * get its endpoint with `inject('dynamoEndpoint')` (or DYNAMODB_ENDPOINT, which the forks
 * inherit); each file makes its own table (test/support/table.ts), so files never share data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  checkJava();
  const dynamo = await startDynamoLocal({ inMemory: true, port: 0 });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.AWS_REGION = 'ap-southeast-1';
  if (process.env.PIONEER_TEST_VERBOSE) {
    process.stderr.write(
      `DynamoDB Local for tests at ${dynamo.endpoint} (ready in ${dynamo.startupMs} ms, ${dynamo.launcher})\n`,
    );
  }
  return async () => {
    await dynamo.stop();
  };
}

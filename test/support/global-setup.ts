import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../infra/local/dynamo.ts';
import { startDynamoLayer } from '../../infra/local/dynamo-layer.ts';
import { checkJava } from '../../infra/local/java.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * `http://127.0.0.1:<port>` of the DynamoDB every test uses: the local DynamoDB layer
     * (infra/local/dynamo-layer.ts: transaction conflicts as in AWS, each function's grants)
     * in front of the in-memory DynamoDB Local shared by the whole run.
     */
    dynamoEndpoint: string;
    /** DynamoDB Local itself (a test that puts a layer of its own in front, with faults). */
    dynamoLocalEndpoint: string;
  }
}

/**
 * One in-memory DynamoDB Local for the whole test run, on a free port of 127.0.0.1, behind the
 * local DynamoDB layer (conflicts and grants, as in AWS). Test files get the layer's endpoint with
 * `inject('dynamoEndpoint')` (or DYNAMODB_ENDPOINT, which the forks inherit); each file makes its
 * own table (test/support/table.ts), so files never share data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  checkJava();
  const dynamo = await startDynamoLocal({ inMemory: true, port: 0 });
  const layer = await startDynamoLayer({ target: dynamo.endpoint });
  project.provide('dynamoEndpoint', layer.endpoint);
  project.provide('dynamoLocalEndpoint', dynamo.endpoint);
  process.env.DYNAMODB_ENDPOINT = layer.endpoint;
  process.env.DYNAMODB_LOCAL_ENDPOINT = dynamo.endpoint;
  process.env.AWS_REGION = 'ap-southeast-1';
  if (process.env.PIONEER_TEST_VERBOSE) {
    process.stderr.write(
      `DynamoDB Local for tests at ${dynamo.endpoint} (ready in ${dynamo.startupMs} ms, ${dynamo.launcher})\n`,
    );
  }
  return async () => {
    if (process.env.PIONEER_TEST_VERBOSE) process.stderr.write(`DynamoDB layer: ${JSON.stringify(layer.stats())}\n`);
    await layer.close();
    await dynamo.stop();
  };
}

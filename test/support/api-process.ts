// A process of its own running the local API (the HTTP emulator and every function) against the
// table and DynamoDB endpoint of its environment: TABLE_NAME, DYNAMODB_ENDPOINT. Prints
// `PIONEER_API <url>` once it listens. Fault-injection tests kill it mid-request (SIGKILL) and
// start another, as a Lambda that dies and the next one that takes over.
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { deployLocally } from '../../infra/local/deployment.ts';
import { LOCAL_REGION } from '../../infra/local/dynamo.ts';
import { startLocalServer } from '../../infra/local/server.ts';

const table = process.env.TABLE_NAME;
const endpoint = process.env.DYNAMODB_ENDPOINT;
if (!table || !endpoint) throw new Error('TABLE_NAME and DYNAMODB_ENDPOINT are required');
deployLocally({ districtId: LOCAL_DISTRICT_ID, region: LOCAL_REGION, dynamoEndpoint: endpoint, districtTable: table });
const server = await startLocalServer({ port: 0, quiet: true });
process.stdout.write(`PIONEER_API ${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));

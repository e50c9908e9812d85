import { awsCredentials, env, envSnapshot } from '../../../shared/config/env.ts';

/**
 * Test-only function for the emulator's own tests (test/integration/local-server.test.ts):
 * echoes the event it got; a few paths exercise the other response shapes. Given `{ echo: 'env' }`
 * it answers with the environment it runs in, as shared/config/env.ts sees it
 * (test/integration/local-environment.test.ts).
 */
export const handler = async (
  event: { rawPath?: string; body?: string; isBase64Encoded?: boolean; echo?: string },
  context: { functionName: string; awsRequestId: string; getRemainingTimeInMillis(): number },
): Promise<unknown> => {
  if (event.echo === 'env') {
    // Across an await and a timer, as a real handler's reads would be.
    await new Promise((r) => setTimeout(r, 5));
    return { variables: envSnapshot(), districtId: env().districtId, credentials: awsCredentials() };
  }
  const path = event.rawPath ?? '';
  if (path.endsWith('/throw')) throw new Error('echo: thrown on purpose');
  if (path.endsWith('/plain')) return { hello: 'world' };
  if (path.endsWith('/string')) return 'just a string';
  if (path.endsWith('/bad-body')) return { statusCode: 200, body: { not: 'a string' } };
  if (path.endsWith('/binary'))
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    };
  if (path.endsWith('/cookies'))
    return { statusCode: 201, cookies: ['a=1; Path=/', 'b=2; Path=/'], headers: { 'x-one': 'one' }, body: '' };
  if (path.endsWith('/slow')) {
    await new Promise((r) => setTimeout(r, 1500));
    return { statusCode: 200, body: 'late' };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      event,
      context: {
        functionName: context.functionName,
        awsRequestId: context.awsRequestId,
        remainingMs: context.getRemainingTimeInMillis(),
      },
    }),
  };
};

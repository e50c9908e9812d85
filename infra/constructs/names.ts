import { Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { LogRetentionDays } from '../../shared/config/deployment.ts';

/**
 * Names of resources a stack keeps after it is deleted. A retained resource under a fixed name
 * would block deploying the stack again ("already exists"); these names carry the stack's
 * generation instead: the first 8 hex digits of the stack id's UUID, new for every creation of
 * the stack, so a deleted district can be deployed again while the old log groups keep their
 * events for their retention period (README, "Deleting a district and deploying it again").
 */
export function stackGeneration(scope: Construct): string {
  const stack = Stack.of(scope);
  // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid>
  return Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', stack.stackId))));
}

/** `prefix` + `-` + the stack's generation: `/aws/lambda/pioneer-jinjiang-members-1a2b3c4d`. */
export function generationName(scope: Construct, prefix: string): string {
  return Fn.join('-', [prefix, stackGeneration(scope)]);
}

/**
 * A log group kept when its stack goes (logs are evidence: six months by default, PRC
 * Cybersecurity Law art. 21), named after the stack's generation so that the stack can be created
 * again beside it.
 */
export function retainedLogGroup(scope: Construct, id: string, prefix: string, days: LogRetentionDays): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: generationName(scope, prefix),
    retention: days as unknown as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

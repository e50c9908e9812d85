import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduleEntry } from '../../shared/config/schedules.ts';
import { parseCron } from '../cron.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import type { PioneerFunction } from './pioneer-function.ts';

export interface ScheduleTableProps {
  /** Names the group (`pioneer-<stackId>`) and the dead-letter queue. */
  readonly stackId: string;
  /** shared/config/schedules.ts; at least one entry. */
  readonly schedules: readonly ScheduleEntry[];
  /** The stack's functions by name: each entry's function must be there. */
  readonly functions: ReadonlyMap<string, PioneerFunction>;
}

/** Scheduler's retries of a failed invocation, then the dead-letter queue. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);
/** Lambda's retries of a job that threw (asynchronous invocation, its maximum), then the same queue. */
export const JOB_RETRY_ATTEMPTS = 2;
export const JOB_MAX_EVENT_AGE = Duration.hours(6);

/**
 * The schedule table as EventBridge Scheduler schedules: one schedule group for the stack, one
 * schedule per entry (its cron in its time zone, no flexible window) invoking the entry's function
 * with the input the jobs read ({ job, scheduledTime, executionId, args }, shared/http/job.ts),
 * retried, then dead-lettered to one queue; one role, trusted by Scheduler for this stack's
 * schedule group only, that may invoke exactly the job functions.
 *
 * Scheduler invokes a function asynchronously: its dead-letter queue catches only what it could not
 * deliver. A job that throws is retried by Lambda (JOB_RETRY_ATTEMPTS), then sent by the function's
 * on-failure destination to the same queue: every failed run of a job ends there, with the event
 * that ran it (to run it again: README, "A failed job"), and its alarm fires (PioneerMonitoring).
 * The group is deleted with the stack (schedules hold no data), so the stack can be created again.
 *
 * A district stack adds it with the id `Default`, which CDK leaves out of logical ids: the
 * schedules, their group, role and queue keep the logical ids they had when the stack built them
 * inline (CloudFormation cannot replace a resource whose name is fixed, as these are).
 */
export class ScheduleTable extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;
  readonly group: scheduler.ScheduleGroup;
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: ScheduleTableProps) {
    super(scope, id);
    if (props.schedules.length === 0) throw new Error('a schedule table needs at least one entry');
    const stack = Stack.of(this);
    const fnOf = (name: string): PioneerFunction => {
      const fn = props.functions.get(name);
      if (!fn) throw new Error(`no function "${name}" for its schedule`);
      return fn;
    };

    this.deadLetterQueue = deadLetterQueue(this, 'ScheduleDlq', {
      queueName: `pioneer-${props.stackId}-schedule-dlq`,
      reason:
        'This queue is itself the dead-letter queue of the EventBridge Scheduler targets (Scheduler DLQs are not linked through an SQS redrive policy, which the rule looks for).',
    });
    const groupName = `pioneer-${props.stackId}`;
    this.role = new iam.Role(this, 'SchedulerRole', {
      // Only the schedules of this stack's group (confused deputy: no other schedule, even in this
      // account, can make Scheduler act with this role).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${groupName}/*`,
          }),
        },
      }),
      description: `pioneer-${props.stackId}: EventBridge Scheduler invokes the job functions`,
    });
    this.group = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: groupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const schedules = new Map<string, scheduler.Schedule>();
    const invoked = new Set<string>();
    for (const entry of props.schedules) {
      schedules.set(
        entry.name,
        new scheduler.Schedule(this, `Schedule-${entry.name}`, {
          scheduleName: entry.name,
          scheduleGroup: this.group,
          description: entry.description,
          schedule: scheduler.ScheduleExpression.cron({
            ...parseCron(entry.cron),
            timeZone: TimeZone.of(entry.timeZone),
          }),
          timeWindow: scheduler.TimeWindow.off(),
          target: new LambdaInvoke(fnOf(entry.function).function, {
            role: this.role,
            input: scheduler.ScheduleTargetInput.fromObject({
              job: entry.name,
              scheduledTime: scheduler.ContextAttribute.scheduledTime,
              executionId: scheduler.ContextAttribute.executionId,
              args: {},
            }),
            maxEventAge: SCHEDULE_MAX_EVENT_AGE,
            retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
            deadLetterQueue: this.deadLetterQueue,
          }),
        }),
      );
      invoked.add(entry.function);
    }
    this.schedules = schedules;

    // LambdaInvoke grants lambda:InvokeFunction on `<fn>` and `<fn>:*` (its versions and
    // aliases): acknowledge exactly that finding, per function. A run that throws goes, after
    // Lambda's retries, to the same queue.
    for (const name of invoked) {
      fnOf(name).onAsyncFailure(this.deadLetterQueue, {
        retryAttempts: JOB_RETRY_ATTEMPTS,
        maxEventAge: JOB_MAX_EVENT_AGE,
      });
      const cfn = fnOf(name).function.node.defaultChild as lambda.CfnFunction;
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(cfn)}.Arn>:*]`,
        reason: `The wildcard is the version/alias qualifier of the one "${name}" function (its ARN followed by :*), granted by the Scheduler LambdaInvoke target; no other function is reachable.`,
      });
    }
  }
}

/**
 * The SLA timer of one case: a Step Functions Standard execution that waits until the case's next
 * SLA instant (a warning or a failure time), asks the `sla-timer` function to check and act, and
 * waits again for the instant that function returns, until nothing is left to watch. One
 * definition for AWS (the CDK stack puts the function's ARN in) and for the local runtime
 * (aws-local-stepfunctions runs the same JSON, the Task overridden by its state name).
 *
 * A generation number makes superseded executions harmless: every re-arm (pause, priority change,
 * resolution...) starts a new execution with the next generation and stops the old one; should the
 * old one still wake, the check sees a newer generation and ends it without acting.
 */

/** The execution's input, and what the Wait state reads. */
export interface TimerInput {
  caseId: string;
  generation: number;
  /** when to wake: an ISO instant */
  wakeAt: string;
}

/** What the check returns: wait again until `wakeAt`, or end. */
export interface TimerOutput {
  caseId: string;
  generation: number;
  next: 'wait' | 'end';
  wakeAt: string | null;
  /** why it ends: 'superseded', 'nothing-to-watch', 'case-gone' */
  reason?: string;
}

export const TIMER_STATES = {
  wait: 'WaitUntilDue',
  check: 'CheckAndAct',
  more: 'MoreToWatch',
  done: 'Done',
} as const;

/**
 * The longest single wait. A deadline further away is reached by waking on the way (one check
 * that finds nothing due, and waits again). Keeps each wait far below Step Functions' one-year
 * execution limit and below Node's 24.8-day timer limit locally.
 */
export const MAX_WAIT_MS = 20 * 24 * 60 * 60 * 1000;

/** An execution's name: unique per case and generation, so starting one twice is idempotent. */
export const executionName = (caseId: string, generation: number) => `${caseId}-g${generation}`;

/**
 * The Amazon States Language definition. `checkFunctionArn` is the `sla-timer` function (direct
 * Lambda integration: the function's result is the state's output).
 */
export function timerDefinition(checkFunctionArn: string) {
  return {
    Comment: 'SLA timer of one case: wait until the next SLA instant, check and act, repeat until nothing is left to watch',
    StartAt: TIMER_STATES.wait,
    States: {
      [TIMER_STATES.wait]: { Type: 'Wait', TimestampPath: '$.wakeAt', Next: TIMER_STATES.check },
      [TIMER_STATES.check]: {
        Type: 'Task',
        Resource: checkFunctionArn,
        Retry: [
          {
            ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'States.TaskFailed'],
            IntervalSeconds: 5,
            MaxAttempts: 6,
            BackoffRate: 2,
          },
        ],
        Next: TIMER_STATES.more,
      },
      [TIMER_STATES.more]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.next', StringEquals: 'wait', Next: TIMER_STATES.wait }],
        Default: TIMER_STATES.done,
      },
      [TIMER_STATES.done]: { Type: 'Succeed' },
    },
  };
}

export type TimerDefinition = ReturnType<typeof timerDefinition>;

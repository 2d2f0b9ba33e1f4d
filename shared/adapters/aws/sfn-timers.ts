/**
 * SLA timers on Step Functions: one Standard execution per case and generation, named
 * `{caseId}-g{generation}` so that starting the same one twice (a redelivered message) is
 * idempotent. The state machine comes from SLA_TIMER_STATE_MACHINE_ARN, read on first use, so
 * functions that never arm a timer need no configuration.
 */
import { ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { SlaTimers } from '../../ports/sla';
import { type TimerInput, executionName } from '../../sla-timer';

/** The ARN an execution of a state machine gets: `...:stateMachine:{machine}` -> `...:execution:{machine}:{name}`. */
export const executionArnOf = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

export class SfnTimers implements SlaTimers {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async arm(input: TimerInput): Promise<string> {
    const name = executionName(input.caseId, input.generation);
    try {
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
      return out.executionArn ?? executionArnOf(this.stateMachineArn, name);
    } catch (e) {
      // the same name with another input: an earlier attempt of this generation armed another
      // instant; the caller decides again (its generation is already taken)
      if (e instanceof ExecutionAlreadyExists) throw Object.assign(new Error(`timer ${name} exists with another input`), { code: 'timer-exists' });
      throw e;
    }
  }

  async disarm(ref: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn: ref, cause: 'superseded by a newer SLA timer generation' }));
    } catch (e) {
      if (e instanceof ExecutionDoesNotExist) return;
      throw e;
    }
  }
}

/** Timers from the environment, created on first use. */
export function lazySfnTimers(): SlaTimers {
  let timers: SfnTimers | undefined;
  const get = () => {
    if (!timers) {
      const arn = process.env.SLA_TIMER_STATE_MACHINE_ARN;
      if (!arn) throw new Error('SLA_TIMER_STATE_MACHINE_ARN is not set: this function cannot arm SLA timers');
      timers = new SfnTimers(new SFNClient({}), arn);
    }
    return timers;
  };
  return { arm: (input) => get().arm(input), disarm: (ref) => get().disarm(ref) };
}

/**
 * SLA timers on Step Functions: one Standard execution per case and generation, named
 * `{caseId}-g{generation}` so that starting the same one twice (a redelivered message) is
 * idempotent. The state machine comes from SLA_TIMER_STATE_MACHINE_ARN, read on first use, so
 * functions that never arm a timer need no configuration.
 *
 * Step Functions' own rules for a name already used: the same input while the execution runs is
 * answered with that execution (idempotent); another input, or an execution that has ended, is
 * ExecutionAlreadyExists, mapped here to the port's `timer-exists` (the caller decides again).
 */
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { SlaTimers } from '../../ports/sla';
import { type TimerInput, executionName } from '../../sla-timer';

/** The ARN an execution of a state machine gets: `...:stateMachine:{machine}` -> `...:execution:{machine}:{name}`. */
export const executionArnOf = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** By name, not instanceof: a bundle may hold two copies of the SDK's exception classes. */
const isError = (e: unknown, name: string) => (e as { name?: string } | null)?.name === name;

export class SfnTimers implements SlaTimers {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async arm(input: TimerInput): Promise<string> {
    const name = executionName(input.caseId, input.generation);
    // only the fields the definition reads, in a fixed order: a retry sends the very same input
    const body: TimerInput = { caseId: input.caseId, generation: input.generation, wakeAt: input.wakeAt };
    try {
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(body) }));
      return out.executionArn ?? executionArnOf(this.stateMachineArn, name);
    } catch (e) {
      // the same name with another input (an earlier attempt of this generation armed another
      // instant) or an execution of that name that has ended: the caller decides again
      if (isError(e, 'ExecutionAlreadyExists')) throw Object.assign(new Error(`timer ${name} exists with another input, or has ended`), { code: 'timer-exists', cause: e });
      throw e;
    }
  }

  async disarm(ref: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn: ref, cause: 'superseded by a newer SLA timer generation' }));
    } catch (e) {
      if (isError(e, 'ExecutionDoesNotExist')) return; // gone already (ended long ago, or never started): nothing to stop
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
  // async: a missing ARN is a rejected promise, as the port's callers expect, not a synchronous throw
  return { arm: async (input) => get().arm(input), disarm: async (ref) => get().disarm(ref) };
}

/** The Step Functions timers adapter against a mocked SFN client (aws-sdk-client-mock). */
import { ExecutionAlreadyExists, ExecutionDoesNotExist, InvalidArn, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SfnTimers, executionArnOf, lazySfnTimers } from '../../shared/adapters/aws/sfn-timers';
import { executionName } from '../../shared/sla-timer';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:SlaTimers-abc';
const sfn = mockClient(SFNClient);
const timers = () => new SfnTimers(new SFNClient({ region: 'eu-west-1' }), MACHINE);
const input = { caseId: 'c-1', generation: 3, wakeAt: '2026-03-02T10:00:00.000Z' };

beforeEach(() => sfn.reset());

describe('SfnTimers.arm', () => {
  it('starts one execution named {caseId}-g{generation} on the machine, with the timer input as its input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf(MACHINE, 'c-1-g3'), startDate: new Date() });
    const ref = await timers().arm({ ...input, extra: 'not sent' } as typeof input);
    expect(ref).toBe('arn:aws:states:eu-west-1:123456789012:execution:SlaTimers-abc:c-1-g3');
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ stateMachineArn: MACHINE, name: executionName('c-1', 3), input: JSON.stringify(input) });
    expect(JSON.parse(calls[0]!.args[0].input.input!)).toEqual(input);
  });

  it('is idempotent for the same input: Step Functions answers a running execution of the same name and input with that execution', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf(MACHINE, 'c-1-g3'), startDate: new Date() });
    const t = timers();
    expect(await t.arm(input)).toBe(await t.arm(input));
    const sent = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(sent[0]).toEqual(sent[1]); // byte for byte the same request
  });

  it('maps ExecutionAlreadyExists (another input, or an ended execution of that name) to timer-exists', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    await expect(timers().arm(input)).rejects.toMatchObject({ code: 'timer-exists' });
  });

  it('recognises the error by name too (a second copy of the SDK in a bundle)', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists' }));
    await expect(timers().arm(input)).rejects.toMatchObject({ code: 'timer-exists' });
  });

  it('passes other failures on unchanged', async () => {
    sfn.on(StartExecutionCommand).rejects(new InvalidArn({ message: 'bad arn', $metadata: {} }));
    await expect(timers().arm(input)).rejects.toBeInstanceOf(InvalidArn);
  });

  it('builds the execution ARN itself should the answer lack it', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    expect(await timers().arm(input)).toBe(executionArnOf(MACHINE, 'c-1-g3'));
  });
});

describe('SfnTimers.disarm', () => {
  const ref = executionArnOf(MACHINE, 'c-1-g3');

  it('stops the execution by its ARN, saying why', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    await timers().disarm(ref);
    const calls = sfn.commandCalls(StopExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({ executionArn: ref, cause: expect.stringContaining('superseded') });
  });

  it('is fine with an execution that is gone', async () => {
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    await expect(timers().disarm(ref)).resolves.toBeUndefined();
  });

  it('passes other failures on (the use case logs them: a superseded execution ends itself anyway)', async () => {
    sfn.on(StopExecutionCommand).rejects(new Error('throttled'));
    await expect(timers().disarm(ref)).rejects.toThrow('throttled');
  });
});

describe('lazySfnTimers', () => {
  const saved = process.env.SLA_TIMER_STATE_MACHINE_ARN;
  afterEach(() => {
    if (saved === undefined) delete process.env.SLA_TIMER_STATE_MACHINE_ARN;
    else process.env.SLA_TIMER_STATE_MACHINE_ARN = saved;
  });

  it('needs no configuration until first used, then reads the machine from SLA_TIMER_STATE_MACHINE_ARN', async () => {
    delete process.env.SLA_TIMER_STATE_MACHINE_ARN;
    const t = lazySfnTimers(); // no throw here: functions that never arm need no ARN
    await expect(t.arm(input)).rejects.toThrow(/SLA_TIMER_STATE_MACHINE_ARN/);
    process.env.SLA_TIMER_STATE_MACHINE_ARN = MACHINE;
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf(MACHINE, 'c-1-g3') });
    await lazySfnTimers().arm(input);
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.stateMachineArn).toBe(MACHINE);
  });
});

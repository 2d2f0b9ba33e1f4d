/**
 * The SLA timers on this machine: aws-local-stepfunctions runs the very definition the CDK stack
 * deploys (`timerDefinition` of `shared/sla-timer.ts`), one execution per case and generation,
 * with its Task (`CheckAndAct`) overridden by state name to call the sla-timer function's handler
 * in-process, the code Step Functions invokes on AWS.
 *
 * Time: the use cases read an injected clock (local/clock.ts) that a demo or a test can move; the
 * library's Wait state sleeps on real time (`Date.now()`). So every instant handed to the Wait is
 * translated, real = Date.now() + (wakeAt - clock.now()), both when an execution starts and when
 * the check returns the next `wakeAt`; and when the clock moves, every execution that is waiting is
 * aborted and run again with the same input (same generation), which then waits for the
 * translated instant, at once when it has passed. Running again with the stored input is also
 * what re-arming after a restart does (`rearmFromStore`). An execution in its check when the clock
 * moves is left alone: its next wait is translated when the check returns, with the moved clock.
 *
 * Executions live in this process only; the stored SLA state (`timer` of each case) is what
 * survives a restart. The state transitions of each execution are counted from the library's
 * event log (states entered plus retries, as Step Functions bills them), without the Wait a
 * clock move re-enters (on AWS that is one wait), so the bench can price the timers.
 */
import './polyfills'; // before aws-local-stepfunctions: Promise.withResolvers on Node 20
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Deps } from '../shared/app/deps';
import type { Clock } from '../shared/ports';
import type { SlaTimers } from '../shared/ports/sla';
import { MAX_WAIT_MS, TIMER_STATES, type TimerInput, type TimerOutput, executionName, timerDefinition } from '../shared/sla-timer';

/** The library's event log of one execution (its type is not exported). */
type EventLogs = ReturnType<StateMachine['run']>['eventLogs'];

/** A check that ran late by a millisecond would find nothing due and wait once more: wake a little after the instant. */
const WAKE_SLACK_MS = 5;

export interface LocalTimersOptions {
  /** the injected clock the use cases read; with `onMove`, executions follow its moves */
  clock: Clock & { onMove?(listener: () => void): () => void };
  /** the Task: the sla-timer function's handler */
  check: (input: TimerInput) => Promise<TimerOutput>;
  /** the Lambda ARN put in the definition (the override runs instead; it only has to be valid) */
  functionArn?: string;
  /** ms between retries of a failed check; the definition's own backoff (5 s doubling, 6 times) when absent */
  retryIntervalMs?: number;
  log?: (line: string) => void;
}

export type ExecutionStatus = 'running' | 'succeeded' | 'failed' | 'stopped';

export interface ExecutionRecord {
  ref: string;
  caseId: string;
  generation: number;
  status: ExecutionStatus;
  /** the instant (injected clock) the execution waits for now, or waited for last */
  wakeAt: string;
  /** checks run (Task entries, retries included) */
  checks: number;
  /** state transitions as Step Functions counts them */
  transitions: number;
  output?: TimerOutput;
  error?: string;
}

interface Running {
  record: ExecutionRecord;
  /** the arm's input, for idempotency */
  started: string;
  /** what the Wait waits for now, in injected-clock time */
  input: TimerInput;
  /**
   * starting: run, not yet in its Wait (the library starts asynchronously); waiting: in the Wait;
   * checking: in the Task; returning: the Task returned `wait`, the Wait not yet entered; ending:
   * the Task returned `end`. Entering and leaving the Wait is read from the event log.
   */
  phase: 'starting' | 'waiting' | 'checking' | 'returning' | 'ending';
  /** the clock moved while the instant to wait for was already on its way to the Wait: run again once it is there */
  movedOnTheWay: boolean;
  /** which run of the library is current (a clock move starts another); older runs' callbacks are ignored */
  run: number;
  abort: () => void;
}

/** The local Lambda ARN in the local definition. */
export const localCheckArn = (region = process.env.AWS_REGION || 'eu-west-1') => `arn:aws:lambda:${region}:000000000000:function:local-sla-timer`;

export class LocalTimers implements SlaTimers {
  /** every execution started in this process, by ref (the execution name) */
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, Running>();
  private readonly machine: StateMachine;
  private readonly log: (line: string) => void;
  private readonly unsubscribe: () => void;
  private runs = 0;
  private stopped = false;
  private readonly idle = new Set<() => void>();

  constructor(private readonly opts: LocalTimersOptions) {
    this.machine = new StateMachine(timerDefinition(opts.functionArn ?? localCheckArn()) as unknown as StateMachineDefinition);
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.unsubscribe = opts.clock.onMove?.(() => this.clockMoved()) ?? (() => undefined);
  }

  async arm(input: TimerInput): Promise<string> {
    if (this.stopped) throw new Error('the local SLA timers are stopped');
    const ref = executionName(input.caseId, input.generation);
    const body: TimerInput = { caseId: input.caseId, generation: input.generation, wakeAt: input.wakeAt };
    const started = JSON.stringify(body);
    const known = this.executions.get(ref);
    if (known) {
      // as Step Functions: the same input while it runs is that execution; anything else exists already
      if (this.running.get(ref)?.started === started) return ref;
      throw Object.assign(new Error(`timer ${ref} exists with another input, or has ended`), { code: 'timer-exists' });
    }
    const record: ExecutionRecord = { ref, caseId: body.caseId, generation: body.generation, status: 'running', wakeAt: body.wakeAt, checks: 0, transitions: 0 };
    this.executions.set(ref, record);
    const exec: Running = { record, started, input: body, phase: 'starting', movedOnTheWay: false, run: 0, abort: () => undefined };
    this.running.set(ref, exec);
    this.start(exec, false);
    return ref;
  }

  async disarm(ref: string): Promise<void> {
    const exec = this.running.get(ref);
    if (!exec) return; // ended, or never started here: nothing to stop
    this.finish(exec, 'stopped');
    exec.abort();
  }

  /**
   * The clock moved: every waiting execution runs again with its input, waiting for the translated
   * instant. One whose instant is on its way to the Wait (translated with the old clock) runs again
   * once it is in the Wait; one in its check needs nothing (its next instant is translated when the
   * check returns).
   */
  clockMoved(): void {
    for (const exec of [...this.running.values()]) {
      if (exec.phase === 'waiting') this.restart(exec);
      else if (exec.phase === 'starting' || exec.phase === 'returning') exec.movedOnTheWay = true;
    }
  }

  private restart(exec: Running) {
    exec.movedOnTheWay = false;
    exec.abort();
    this.start(exec, true);
  }

  /** Executions running now. */
  get active(): ExecutionRecord[] {
    return [...this.running.values()].map((e) => e.record);
  }

  /** Executions (running or ended) of one case, oldest first. */
  of(caseId: string): ExecutionRecord[] {
    return [...this.executions.values()].filter((r) => r.caseId === caseId);
  }

  /** State transitions of all executions of one case. */
  transitionsOf(caseId: string): number {
    return this.of(caseId).reduce((n, r) => n + r.transitions, 0);
  }

  /**
   * Resolves when no execution is in its check and none waits for an instant at or before the
   * clock's now (what is due has run). For tests and the bench, after moving the clock.
   */
  async settled(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const busy = [...this.running.values()].some((e) => e.phase !== 'waiting' || Date.parse(e.input.wakeAt) <= this.opts.clock.now().getTime());
      if (!busy) return;
      if (Date.now() > end) throw new Error(`SLA timers still busy after ${timeoutMs} ms: ${this.active.map((r) => r.ref).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        this.idle.add(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Aborts every execution (the runtime is stopping); the stored state re-arms them at the next start. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const exec of [...this.running.values()]) {
      this.running.delete(exec.record.ref);
      exec.run = -1;
      exec.abort();
    }
  }

  private start(exec: Running, resumed: boolean) {
    const run = ++this.runs;
    exec.run = run;
    exec.phase = 'starting';
    const execution = this.machine.run({ ...exec.input, wakeAt: this.toReal(exec.input.wakeAt) } as unknown as Parameters<StateMachine['run']>[0], {
      overrides: {
        taskResourceLocalHandlers: { [TIMER_STATES.check]: (input) => this.check(exec, run, input as unknown as TimerOutput) as never },
        ...(this.opts.retryIntervalMs !== undefined ? { retryIntervalOverrides: { [TIMER_STATES.check]: this.opts.retryIntervalMs } } : {}),
      },
      noThrowOnAbort: true,
    });
    exec.abort = execution.abort;
    void this.follow(exec, run, execution.eventLogs, resumed);
    execution.result.then(
      (output) => {
        if (exec.run !== run || output === null) return; // aborted: stopped, or running again after a clock move
        exec.record.output = output as unknown as TimerOutput;
        this.finish(exec, 'succeeded');
      },
      (e: Error) => {
        if (exec.run !== run) return;
        exec.record.error = `${e.name}: ${e.message}${e.cause ? ` (${(e.cause as Error).message ?? String(e.cause)})` : ''}`;
        this.finish(exec, 'failed');
        this.log(`[sla-timer] execution ${exec.record.ref} failed: ${exec.record.error}`);
      },
    );
  }

  /** The Task: the check runs on injected-clock instants; the Wait gets the next one in real time. */
  private async check(exec: Running, run: number, input: TimerOutput | TimerInput) {
    if (exec.run === run) exec.phase = 'checking';
    exec.record.checks++;
    try {
      const out = await this.opts.check({ ...input, wakeAt: exec.input.wakeAt } as TimerInput);
      if (exec.run === run) {
        if (out.next === 'wait' && out.wakeAt) {
          exec.input = { caseId: out.caseId, generation: out.generation, wakeAt: out.wakeAt };
          exec.record.wakeAt = out.wakeAt;
          exec.phase = 'returning';
        } else exec.phase = 'ending';
      }
      return { ...out, wakeAt: out.wakeAt ? this.toReal(out.wakeAt) : null };
    } catch (e) {
      // the retry waits its interval (real time: nothing to translate); a failed execution ends
      this.log(`[sla-timer] check of ${exec.record.ref} failed: ${(e as Error).message}`);
      throw e;
    } finally {
      this.wake();
    }
  }

  /** The real instant at which the clock shows `wakeAt` (never further than MAX_WAIT_MS: Node's timers stop at 24.8 days). */
  private toReal(wakeAt: string): string {
    const ahead = Date.parse(wakeAt) - this.opts.clock.now().getTime();
    return new Date(Date.now() + Math.min(Math.max(ahead, 0), MAX_WAIT_MS) + WAKE_SLACK_MS).toISOString();
  }

  private finish(exec: Running, status: ExecutionStatus) {
    exec.run = -1;
    exec.record.status = status;
    this.running.delete(exec.record.ref);
    this.wake();
  }

  private wake() {
    for (const f of this.idle) f();
    this.idle.clear();
  }

  /**
   * Reads one run's event log: where the execution is (in the Wait or not), and its state
   * transitions as Step Functions bills them (states entered, retries). A run started again after a
   * clock move re-enters the Wait its predecessor was in: on AWS that is one wait, counted once.
   */
  private async follow(exec: Running, run: number, events: EventLogs, resumed: boolean) {
    const { record } = exec;
    let skipWait = resumed;
    for await (const e of events) {
      if (e.type === 'StateRetried') record.transitions++;
      if (e.type !== 'StateEntered' && e.type !== 'StateExited') continue;
      const isWait = e.state.name === TIMER_STATES.wait;
      if (e.type === 'StateEntered') {
        if (!(skipWait && isWait)) record.transitions++;
        skipWait = false;
      }
      if (!isWait || exec.run !== run) continue;
      if (e.type === 'StateEntered' && (exec.phase === 'starting' || exec.phase === 'returning')) {
        exec.phase = 'waiting';
        if (exec.movedOnTheWay) this.restart(exec);
        this.wake();
      } else if (e.type === 'StateExited' && exec.phase === 'waiting') exec.phase = 'checking';
    }
  }
}

/** Far beyond any failure time: every open instance is "at risk" by then. */
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

/**
 * Re-arms the timers of the stored SLA state after a restart (executions live in memory only).
 * No Scan: the cases with open, unpaused KPI instances come from the at-risk index of every queue
 * (and of cases in no queue) up to a far instant; each case's stored `timer` is armed again with
 * its generation and instant: a timer whose instant has passed fires at once.
 */
export async function rearmFromStore(deps: Pick<Deps, 'slaState' | 'directory' | 'timers'>, log: (line: string) => void = () => undefined): Promise<{ cases: number; armed: number; failed: number }> {
  const queues: (string | null)[] = [...(await deps.directory.listQueues()).map((q) => q.id), null];
  const caseIds = new Set<string>();
  for (const queueId of queues) {
    let cursor: string | undefined;
    do {
      const page = await deps.slaState.atRisk(queueId, FAR_FUTURE, { limit: 200, ...(cursor ? { cursor } : {}) });
      for (const k of page.items) caseIds.add(k.caseId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  let armed = 0;
  let failed = 0;
  for (const caseId of caseIds) {
    const { timer } = await deps.slaState.getCaseState(caseId);
    if (!timer) continue;
    try {
      await deps.timers.arm({ caseId, generation: timer.generation, wakeAt: timer.wakeAt });
      armed++;
    } catch (e) {
      failed++;
      log(`[sla-timer] could not re-arm ${executionName(caseId, timer.generation)}: ${(e as Error).message}`);
    }
  }
  return { cases: caseIds.size, armed, failed };
}

/**
 * The IVR part of a call session (CC-01, CC-02): the flow the dialled service number leads to and
 * any flow an agent later transfers the caller to, each run by an IvrRunner on the caller's leg
 * from its start node. Digits go to the flow running now; the CDR's IVR path lists every flow's
 * steps in order, those of a flow the call was transferred to tagged with that flow's id.
 */
import { FlowRun, type FlowDocument, type PathStep } from '../ivr/index.ts';
import type { CallLeg } from '../telephony/call-leg.ts';
import { IvrRunner, type IvrRunnerOptions } from './ivr-runner.ts';
import type { IvrTasks } from './ivr-tasks.ts';

/** A step of the CDR's IVR path; `flow`: the id of the flow an agent transferred the call to. */
export interface SessionPathStep extends PathStep {
  flow?: string;
}

export interface SessionIvrHost extends Omit<IvrRunnerOptions, 'leg' | 'tasks'> {
  /** The task verbs' executor for a flow run on `leg` (issue #5). */
  tasks?(leg: CallLeg): IvrTasks;
  /** A digit from the caller (the session takes some itself, e.g. a callback request). */
  digit(digit: string): void;
}

export class SessionIvr {
  private runner: IvrRunner | null = null;
  private flowId: string | null = null;
  /** The steps of the flows that ran before this one. */
  private earlier: SessionPathStep[] = [];
  private readonly heard = new WeakSet<CallLeg>();

  constructor(private readonly host: SessionIvrHost) {}

  /** Run `flow` on `leg` from its start node; `flowId`: a flow the call was transferred to. */
  start(leg: CallLeg, flow: FlowDocument, flowId: string | null = null): void {
    this.stop();
    this.earlier = this.path;
    this.flowId = flowId;
    const { digit, tasks, ...options } = this.host;
    this.runner = new IvrRunner(new FlowRun(flow), { ...options, leg, tasks: tasks?.(leg) });
    if (!this.heard.has(leg)) {
      this.heard.add(leg);
      leg.onDtmf((d) => digit(d));
    }
    this.runner.start();
  }

  /** A digit for the flow running now (a flow that queued the call or hung up ignores it). */
  digit(digit: string): void {
    this.runner?.digit(digit);
  }

  stop(): void {
    this.runner?.stop();
  }

  /** Every flow's steps so far, for the CDR (CC-09). */
  get path(): SessionPathStep[] {
    const steps = this.runner?.path ?? [];
    const flow = this.flowId;
    return [...this.earlier, ...(flow ? steps.map((s) => ({ ...s, flow })) : steps)];
  }
}

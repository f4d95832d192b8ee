export { FlowRun } from './flow-run.ts';
export type { IvrAction, PathStep } from './flow-run.ts';
export { flowDocument, flowNode, promptItem } from './flow-schema.ts';
export type { FlowDocument, FlowNode, PromptItem } from './flow-schema.ts';
export { blockedNotice, callbackPrompts, demoHotlineFlow, queueAnnouncement } from './demo-flow.ts';

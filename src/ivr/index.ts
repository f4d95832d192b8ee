export { FlowRun, compareValues, maxHops } from './flow-run.ts';
export type { FlowRunOptions, IvrAction, PathStep } from './flow-run.ts';
export { conditionOps, flowDocument, flowNode, nodeLinks, promptItem } from './flow-schema.ts';
export type {
  FlowDocument,
  FlowDocumentInput,
  FlowNode,
  FlowVerb,
  NodeOf,
  PromptItem,
} from './flow-schema.ts';
export { builtinVariables, validateFlow } from './flow-validate.ts';
export type { FlowError, FlowValidation, FlowValidationContext } from './flow-validate.ts';
export { flowJsonSchema } from './flow-json-schema.ts';
export { renderTemplate } from './flow-template.ts';
export { isOpen } from './business-hours.ts';
export { blockedNotice, callbackPrompts, demoHotlineFlow, queueAnnouncement } from './demo-flow.ts';

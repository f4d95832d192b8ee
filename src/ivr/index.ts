export { FlowRun, compareValues, maxHops } from './flow-run.ts';
export type { FlowRunOptions, IvrAction, PathStep } from './flow-run.ts';
export {
  conditionOps,
  flowDocument,
  flowNode,
  lookupSources,
  lookupVariables,
  nodeLinks,
  promptItem,
} from './flow-schema.ts';
export type { IvrDataSource } from './data-source.ts';
export type {
  FlowDocument,
  FlowDocumentInput,
  FlowNode,
  FlowVerb,
  LookupSource,
  NodeOf,
  PromptItem,
} from './flow-schema.ts';
export { builtinVariables, validateFlow } from './flow-validate.ts';
export type { FlowError, FlowValidation, FlowValidationContext } from './flow-validate.ts';
export { flowJsonSchema } from './flow-json-schema.ts';
export { renderTemplate } from './flow-template.ts';
export { callLanguage } from './verb-tasks.ts';
export type { TaskResult, VerbTask } from './verb-tasks.ts';
export { callLanguages, extraVerbs } from './verb-nodes.ts';
export type { CallLanguage, ExtraNode } from './verb-nodes.ts';
export { isOpen } from './business-hours.ts';
export { blockedNotice, callbackPrompts, demoHotlineFlow, queueAnnouncement } from './demo-flow.ts';

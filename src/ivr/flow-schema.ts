/**
 * An IVR flow is data (IVR-05): named nodes, each one verb. This first schema has the verbs the
 * hotline needs today (menu, play, queue, hangup); issue #5 grows it, keeping documents valid.
 */
import { z } from 'zod';

export const promptItem = z.union([
  z.object({ tts: z.string().min(1).max(2000), lang: z.enum(['zh', 'en']).default('zh') }),
  z.object({ file: z.string().min(1) }),
]);
export type PromptItem = z.infer<typeof promptItem>;

const nodeId = z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/, 'node ids are lower-case words');

export const flowNode = z.discriminatedUnion('verb', [
  z.object({
    verb: z.literal('menu'),
    prompt: z.array(promptItem).min(1),
    choices: z.record(z.string().regex(/^[0-9*#]$/), nodeId),
    timeoutSec: z.number().min(1).max(60).default(5),
    retries: z.number().int().min(0).max(5).default(2),
    invalidPrompt: z.array(promptItem).optional(),
    /** Where a caller who never chooses goes; hang up when absent. */
    noInput: nodeId.optional(),
  }),
  z.object({ verb: z.literal('play'), prompt: z.array(promptItem).min(1), next: nodeId }),
  z.object({
    verb: z.literal('queue'),
    group: z.string().min(1),
    priority: z.number().int().min(0).max(9).default(0),
  }),
  z.object({ verb: z.literal('hangup'), prompt: z.array(promptItem).optional() }),
]);
export type FlowNode = z.infer<typeof flowNode>;

export const flowDocument = z
  .object({
    name: z.string().min(1),
    start: nodeId,
    nodes: z.record(nodeId, flowNode),
  })
  .superRefine((flow, ctx) => {
    const ids = new Set(Object.keys(flow.nodes));
    const ref = (target: string | undefined, path: (string | number)[]) => {
      if (target !== undefined && !ids.has(target)) {
        ctx.addIssue({ code: 'custom', path, message: `unknown node "${target}"` });
      }
    };
    ref(flow.start, ['start']);
    for (const [id, node] of Object.entries(flow.nodes)) {
      if (node.verb === 'menu') {
        for (const [digit, target] of Object.entries(node.choices))
          ref(target, ['nodes', id, 'choices', digit]);
        ref(node.noInput, ['nodes', id, 'noInput']);
      } else if (node.verb === 'play') ref(node.next, ['nodes', id, 'next']);
    }
  });
export type FlowDocument = z.infer<typeof flowDocument>;

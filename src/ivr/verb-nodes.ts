/**
 * The verbs for self-service replies, voicemail, integrations and routing out of the IVR
 * (issue #5): voicemail, sms, email, fax, webhook, language, transfer. Their fields are checked
 * here like the core verbs in flow-schema.ts (strict objects, node ids, variable names); checks
 * that need the whole flow live in verb-validate.ts.
 */
import { z } from 'zod';

// The same rules and messages as flow-schema.ts; repeated here so that file can import these
// nodes without an import cycle.
const nodeId = z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/, {
  error: 'must be a node id: a lower-case letter, then lower-case letters, digits, "_" or "-"',
});
const variable = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,40}$/, {
  error: 'must be a variable name: a letter or "_", then letters, digits or "_"',
});
const dtmfKey = z.string().regex(/^[0-9*#]$/, { error: 'is not a DTMF key; use one of 0-9, * or #' });
const prompts = z
  .array(
    z.union([
      z.strictObject({ tts: z.string().min(1).max(2000), lang: z.enum(['zh', 'en']).default('zh') }),
      z.strictObject({ file: z.string().min(1).max(500) }),
    ]),
  )
  .min(1);
const template = z.string().min(1).max(2000);

export const callLanguages = ['zh', 'en'] as const;
export type CallLanguage = (typeof callLanguages)[number];

/**
 * Leave a message (issue #5 voicemail): the prompt, a beep, then the caller is recorded until they
 * hang up, press #, or `maxSeconds` pass. The recording goes to the caller's customer timeline and
 * a callback task for `group`; then `next`, or hang up when absent.
 */
export const voicemailNode = z.strictObject({
  verb: z.literal('voicemail'),
  prompt: prompts.optional(),
  beep: z.boolean().default(true),
  maxSeconds: z.int().min(5).max(600).default(120),
  group: z.string().min(1).max(40),
  next: nodeId.optional(),
});

/**
 * `to`: "caller" (the calling number), "customer" (the identified customer's number or e-mail),
 * or a literal number / address, which may use {variables}.
 */
const recipient = z.string().min(1).max(200);

const messageFields = {
  text: template,
  next: nodeId,
  /** Where to go when the message could not be sent; `next` when absent. */
  onFailure: nodeId.optional(),
};

export const smsNode = z.strictObject({
  verb: z.literal('sms'),
  to: recipient.default('caller'),
  ...messageFields,
});

export const emailNode = z.strictObject({
  verb: z.literal('email'),
  to: recipient.default('customer'),
  subject: z.string().min(1).max(200),
  ...messageFields,
});

/** A fax through the e-mail-to-fax gateway: the text is the page sent. */
export const faxNode = z.strictObject({
  verb: z.literal('fax'),
  to: recipient,
  subject: z.string().min(1).max(200).optional(),
  ...messageFields,
});

/** A dotted path into the response JSON, e.g. "data.eta" or "items.0.status". */
export const jsonPathPattern = /^[A-Za-z0-9_$-]{1,60}(?:\.[A-Za-z0-9_$-]{1,60}){0,7}$/;

/**
 * Call an HTTP API (issue #5): the body is templated like `say` text; fields of the JSON answer
 * named in `map` become variables. A non-2xx answer, a non-JSON answer (when `map` is used), a
 * network error or no answer within `timeoutMs` take `fallback`.
 */
export const webhookNode = z.strictObject({
  verb: z.literal('webhook'),
  url: z.string().min(1).max(1000),
  method: z.enum(['GET', 'POST', 'PUT']).default('POST'),
  body: z.string().max(4000).optional(),
  timeoutMs: z.int().min(100).max(30_000).default(3000),
  /** variable name → path in the response JSON. */
  map: z
    .record(
      variable,
      z.string().regex(jsonPathPattern, { error: 'must be a path like data.status or items.0.id' }),
    )
    .default({}),
  next: nodeId,
  fallback: nodeId,
});

/**
 * Let the caller choose the call's language (zh/en) by key: later `say` nodes speak it (voice,
 * numbers, dates) and `play` files use a `.en.wav` variant when there is one. The choice is also
 * the variable `language`. No key within `timeoutSec`: `default`.
 */
export const languageNode = z.strictObject({
  verb: z.literal('language'),
  prompt: prompts,
  choices: z.record(dtmfKey, z.enum(callLanguages)),
  timeoutSec: z.number().min(1).max(60).default(5),
  default: z.enum(callLanguages).default('zh'),
  next: nodeId,
});

/**
 * Send the caller elsewhere (issue #5): an outside number through the outbound routes, one of our
 * extensions, or a skill group's queue. When the number or extension cannot be reached:
 * `onFailure`, or hang up when absent.
 */
export const transferNode = z.strictObject({
  verb: z.literal('transfer'),
  kind: z.enum(['number', 'extension', 'group']),
  target: z.string().min(1).max(60),
  priority: z.int().min(0).max(9).default(0),
  onFailure: nodeId.optional(),
});

export const extraNodes = [
  voicemailNode,
  smsNode,
  emailNode,
  faxNode,
  webhookNode,
  languageNode,
  transferNode,
] as const;

export type ExtraNode =
  | z.infer<typeof voicemailNode>
  | z.infer<typeof smsNode>
  | z.infer<typeof emailNode>
  | z.infer<typeof faxNode>
  | z.infer<typeof webhookNode>
  | z.infer<typeof languageNode>
  | z.infer<typeof transferNode>;
export type ExtraVerb = ExtraNode['verb'];
export const extraVerbs: readonly ExtraVerb[] = [
  'voicemail',
  'sms',
  'email',
  'fax',
  'webhook',
  'language',
  'transfer',
];

/** The fields of these verbs that name another node (see nodeLinks in flow-schema.ts). */
export function extraNodeLinks(node: ExtraNode): { field: string; target: string }[] {
  const optional = (field: string, target: string | undefined) => (target ? [{ field, target }] : []);
  switch (node.verb) {
    case 'voicemail':
      return optional('next', node.next);
    case 'sms':
    case 'email':
    case 'fax':
      return [{ field: 'next', target: node.next }, ...optional('onFailure', node.onFailure)];
    case 'webhook':
      return [
        { field: 'next', target: node.next },
        { field: 'fallback', target: node.fallback },
      ];
    case 'language':
      return [{ field: 'next', target: node.next }];
    case 'transfer':
      return optional('onFailure', node.onFailure);
  }
}

/**
 * Whole-flow checks of the voicemail, message, webhook, language and transfer verbs (issue #5),
 * called by flow-validate.ts; each error names the field inside the node.
 */
import { isTaskNode } from './verb-tasks.ts';
import type { ExtraNode } from './verb-nodes.ts';

export interface VerbCheckContext {
  /** Checks a template field (syntax, known variables) and reports under `field`. */
  checkTemplate(field: string, text: string): void;
  /** Skill groups that exist, when known. */
  groups?: ReadonlySet<string>;
}

/** Variables these verbs set, for templates after them: a webhook's mapped names, the language. */
export function extraVerbVariables(node: { verb: string }): string[] {
  const n = node as ExtraNode;
  if (n.verb === 'webhook') return Object.keys(n.map);
  if (n.verb === 'language') return ['language'];
  return [];
}

const phoneLike = /^\+?[0-9][0-9 ()-]{2,30}$/;
const emailLike = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function extraNodeErrors(
  node: { verb: string },
  ctx: VerbCheckContext,
): { field: string; message: string }[] {
  if (!isTaskNode(node) && node.verb !== 'language') return [];
  const n = node as ExtraNode;
  const errors: { field: string; message: string }[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const literal = (to: string) => to !== 'caller' && to !== 'customer' && !to.includes('{');
  switch (n.verb) {
    case 'voicemail':
      if (ctx.groups && !ctx.groups.has(n.group)) add('group', `Skill group "${n.group}" does not exist.`);
      break;
    case 'sms':
    case 'fax':
      ctx.checkTemplate('text', n.text);
      if (n.verb === 'fax' && n.subject !== undefined) ctx.checkTemplate('subject', n.subject);
      if (n.to === 'customer' && n.verb === 'fax')
        add('to', 'A fax goes to "caller" or a fax number; customers have no fax number on file.');
      else if (literal(n.to) && !phoneLike.test(n.to))
        add('to', `"${n.to}" is not a phone number; use "caller", "customer" or a number.`);
      else if (!literal(n.to) && n.to.includes('{')) ctx.checkTemplate('to', n.to);
      break;
    case 'email':
      ctx.checkTemplate('text', n.text);
      ctx.checkTemplate('subject', n.subject);
      if (n.to === 'caller')
        add('to', 'An e-mail cannot go to the calling number; use "customer" or an address.');
      else if (literal(n.to) && !emailLike.test(n.to))
        add('to', `"${n.to}" is not an e-mail address; use "customer" or an address like name@example.com.`);
      else if (n.to.includes('{')) ctx.checkTemplate('to', n.to);
      break;
    case 'webhook': {
      ctx.checkTemplate('url', n.url);
      if (n.body !== undefined) ctx.checkTemplate('body', n.body);
      const fixed = n.url.replace(/\{[^}]*\}/g, 'x');
      const url = URL.canParse(fixed) ? new URL(fixed) : null;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        add('url', `"${n.url}" is not an http:// or https:// address.`);
      if (n.method === 'GET' && n.body !== undefined)
        add('body', 'A GET request has no body; use POST or PUT.');
      if (n.next === n.fallback)
        add(
          'fallback',
          'fallback leads to the same node as next; a failed call would go on as if it had worked.',
        );
      break;
    }
    case 'language': {
      const keys = Object.keys(n.choices);
      if (keys.length === 0)
        add('choices', 'A language node needs at least one choice (a key and zh or en).');
      break;
    }
    case 'transfer':
      if (n.kind === 'group' && ctx.groups && !ctx.groups.has(n.target))
        add('target', `Skill group "${n.target}" does not exist.`);
      if (n.kind === 'extension' && !/^\d{2,8}$/.test(n.target))
        add('target', `"${n.target}" is not an extension (2 to 8 digits).`);
      if (n.kind === 'number' && !n.target.includes('{') && !phoneLike.test(n.target))
        add('target', `"${n.target}" is not a phone number.`);
      if (n.kind === 'group' && n.onFailure !== undefined)
        add('onFailure', 'A transfer to a group waits in its queue and never fails over; remove onFailure.');
      break;
  }
  return errors;
}

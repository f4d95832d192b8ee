// English for the IVR editor's voicemail, message, webhook, language and transfer forms (issue #5).
import type { IvrVerbMessages } from './zh-CN-ivr-verbs';

export const enIvrVerbs: IvrVerbMessages = {
  ivrVerbs: {
    beep: 'Beep before recording',
    maxSeconds: 'Longest message (s)',
    group: 'Skill group that calls back',
    nextOptional: 'Then go to (empty: hang up)',
    to: 'Recipient',
    toHint:
      'caller = the calling number, customer = from the customer record, or a number/address ({variable} allowed)',
    subject: 'Subject',
    text: 'Text ({variable} allowed)',
    onFailure: 'If sending fails go to (empty: next node)',
    url: 'URL (http/https, {variable} allowed)',
    method: 'Method',
    body: 'Body ({variable} allowed)',
    timeoutMs: 'Timeout (ms)',
    map: 'Response fields into variables (one per line: variable=path, e.g. eta=data.eta)',
    fallback: 'On failure or timeout go to',
    choices: 'Keys and languages',
    defaultLanguage: 'Language when no key is pressed',
    kind: 'Transfer to',
    kinds: { number: 'Outside number', extension: 'Extension', group: 'Skill group' },
    target: 'Number / extension / skill group',
    transferFailure: 'If nobody answers go to (empty: hang up)',
  },
};

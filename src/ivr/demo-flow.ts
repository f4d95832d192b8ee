import type { FlowDocument } from './flow-schema.ts';

/** The hotline flow seeded with the demo data: welcome, menu, 0 for an agent. */
export const demoHotlineFlow: FlowDocument = {
  name: '客服热线主菜单',
  start: 'welcome',
  nodes: {
    welcome: {
      verb: 'menu',
      prompt: [{ tts: '您好，欢迎致电顺达物流客服热线。人工服务请按零。', lang: 'zh' }],
      choices: { '0': 'agent' },
      timeoutSec: 5,
      retries: 2,
      invalidPrompt: [{ tts: '输入有误。', lang: 'zh' }],
      noInput: 'agent',
    },
    agent: { verb: 'queue', group: 'general', priority: 0 },
  },
};

/** Played once when a caller enters a queue, before the hold music (ACD-06 adds position and EWT). */
export const queueAnnouncement = { tts: '正在为您转接客服代表，请稍候。', lang: 'zh' } as const;

/** Queued callback (ACD-06): the offer while waiting, the caller's confirmation, the agent's cue. */
export const callbackPrompts = {
  offer: { tts: '如需稍后回拨，请按1。', lang: 'zh' },
  confirmed: { tts: '已为您登记回拨，我们将尽快与您联系，再见。', lang: 'zh' },
  agentCue: { tts: '正在为您回拨客户，请稍候。', lang: 'zh' },
} as const;

/** Played to a blacklisted caller when the entry's action is "announce" (CC-08). */
export const blockedNotice = { tts: '抱歉，您的来电已被限制，再见。', lang: 'zh' } as const;

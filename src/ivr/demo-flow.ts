import type { FlowDocument } from './flow-schema.ts';

const statusText =
  '当前状态 {shipment.status}，最后到达 {shipment.lastCity}，{shipment.lastAt|datetime}，' +
  '预计 {shipment.expected|date} 送达。';

/**
 * The hotline flow seeded with the demo data: welcome, menu, 0 for an agent, 1 for waybill status
 * by voice (IVR-02): a caller whose number matches a customer hears their latest shipment by
 * name; anyone else (or after that) types a waybill number ending in #.
 */
export const demoHotlineFlow: FlowDocument = {
  name: '客服热线主菜单',
  start: 'welcome',
  nodes: {
    welcome: {
      verb: 'menu',
      prompt: [{ tts: '您好，欢迎致电顺达物流客服热线。查询运单请按一，人工服务请按零。', lang: 'zh' }],
      choices: { '1': 'track', '0': 'agent' },
      timeoutSec: 5,
      retries: 2,
      invalidPrompt: [{ tts: '输入有误。', lang: 'zh' }],
      noInput: 'agent',
    },
    agent: { verb: 'queue', group: 'general', priority: 0 },
    track: {
      verb: 'lookup',
      source: 'caller_shipments',
      timeoutSec: 3,
      found: 'mine',
      notFound: 'ask_waybill',
    },
    mine: {
      verb: 'say',
      text: `{caller.name}您好，您最近的运单 {shipment.waybill|waybill}，${statusText}`,
      lang: 'zh',
      next: 'more',
    },
    ask_waybill: {
      verb: 'gather',
      prompt: [{ tts: '请输入运单号，以井号键结束。', lang: 'zh' }],
      variable: 'waybill',
      minLength: 9,
      maxLength: 15,
      terminator: '#',
      timeoutSec: 8,
      interDigitSec: 5,
      retries: 2,
      invalidPrompt: [{ tts: '运单号有误。', lang: 'zh' }],
      next: 'find',
      noInput: 'agent',
    },
    find: {
      verb: 'lookup',
      source: 'waybill',
      input: 'waybill',
      timeoutSec: 3,
      found: 'status',
      notFound: 'unknown',
    },
    status: { verb: 'say', text: `运单 {shipment.waybill|waybill}，${statusText}`, lang: 'zh', next: 'more' },
    unknown: { verb: 'say', text: '抱歉，没有找到运单 {waybill|waybill}。', lang: 'zh', next: 'more' },
    more: {
      verb: 'menu',
      prompt: [{ tts: '查询其他运单请按二，人工服务请按零，结束查询请挂机。', lang: 'zh' }],
      choices: { '2': 'ask_waybill', '0': 'agent' },
      timeoutSec: 5,
      retries: 1,
      noInput: 'bye',
    },
    bye: { verb: 'hangup', prompt: [{ tts: '感谢您的来电，再见。', lang: 'zh' }] },
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

import type { FlowDocument } from './flow-schema.ts';

// {shipment.delivery}: 已于…签收 for a delivered shipment, 预计…送达 otherwise (ivr-shipments.ts).
const statusText =
  '当前状态 {shipment.status}，最后到达 {shipment.lastCity}，{shipment.lastAt|datetime}，{shipment.delivery}。';

/** A menu choice that sets `variable` to a city and goes on to `next` (the lookup). */
function pick(variable: string, city: string, next: string): FlowDocument['nodes'][string] {
  return { verb: 'set', variable, value: city, next };
}

/**
 * Menu 2, road conditions (IVR-02): a destination from 上海 by menu digit, or its area code typed
 * (9, then e.g. 028#); every segment of the routes there is read with its status and update time.
 */
const roadConditionNodes: FlowDocument['nodes'] = {
  road_menu: {
    verb: 'menu',
    prompt: [
      {
        tts: '路况查询。上海至成都请按一，北京请按二，广州请按三，武汉请按四，输入目的地城市区号请按九，返回主菜单请按星号。',
        lang: 'zh',
      },
    ],
    choices: {
      '1': 'road_cd',
      '2': 'road_bj',
      '3': 'road_gz',
      '4': 'road_wh',
      '9': 'road_code',
      '*': 'welcome',
      '0': 'agent',
    },
    timeoutSec: 5,
    retries: 2,
    invalidPrompt: [{ tts: '输入有误。', lang: 'zh' }],
    noInput: 'bye',
  },
  road_cd: pick('city', '成都', 'road_find'),
  road_bj: pick('city', '北京', 'road_find'),
  road_gz: pick('city', '广州', 'road_find'),
  road_wh: pick('city', '武汉', 'road_find'),
  road_code: {
    verb: 'gather',
    prompt: [{ tts: '请输入目的地城市区号，以井号键结束。', lang: 'zh' }],
    variable: 'city',
    minLength: 3,
    maxLength: 4,
    terminator: '#',
    timeoutSec: 8,
    interDigitSec: 5,
    retries: 2,
    invalidPrompt: [{ tts: '区号有误。', lang: 'zh' }],
    next: 'road_find',
    noInput: 'road_menu',
  },
  road_find: {
    verb: 'lookup',
    source: 'road_conditions',
    input: 'city',
    timeoutSec: 3,
    found: 'road_status',
    notFound: 'road_none',
  },
  road_status: {
    verb: 'say',
    text: '上海至{road.destination}路况：{road.summary}更新于{road.updatedAt|datetime}。',
    lang: 'zh',
    next: 'road_more',
  },
  road_none: {
    verb: 'say',
    text: '抱歉，暂无到{city}的路况信息。',
    lang: 'zh',
    next: 'road_more',
  },
  road_more: {
    verb: 'menu',
    prompt: [{ tts: '查询其他路线请按一，返回主菜单请按星号，人工服务请按零，结束查询请挂机。', lang: 'zh' }],
    choices: { '1': 'road_menu', '*': 'welcome', '0': 'agent' },
    timeoutSec: 5,
    retries: 1,
    noInput: 'bye',
  },
};

/** Menu 3, branch information (IVR-02): a city's branches with address, hours and phone. */
const branchNodes: FlowDocument['nodes'] = {
  branch_menu: {
    verb: 'menu',
    prompt: [
      {
        tts: '网点查询。上海请按一，北京请按二，广州请按三，成都请按四，武汉请按五，返回主菜单请按星号。',
        lang: 'zh',
      },
    ],
    choices: {
      '1': 'branch_sh',
      '2': 'branch_bj',
      '3': 'branch_gz',
      '4': 'branch_cd',
      '5': 'branch_wh',
      '*': 'welcome',
      '0': 'agent',
    },
    timeoutSec: 5,
    retries: 2,
    invalidPrompt: [{ tts: '输入有误。', lang: 'zh' }],
    noInput: 'bye',
  },
  branch_sh: pick('branch_city', '上海', 'branch_find'),
  branch_bj: pick('branch_city', '北京', 'branch_find'),
  branch_gz: pick('branch_city', '广州', 'branch_find'),
  branch_cd: pick('branch_city', '成都', 'branch_find'),
  branch_wh: pick('branch_city', '武汉', 'branch_find'),
  branch_find: {
    verb: 'lookup',
    source: 'branches',
    input: 'branch_city',
    timeoutSec: 3,
    found: 'branch_info',
    notFound: 'branch_none',
  },
  branch_info: {
    verb: 'say',
    text: '{branch.city}共有{branch.count}个网点。{branch.summary}',
    lang: 'zh',
    next: 'branch_more',
  },
  branch_none: { verb: 'say', text: '抱歉，{branch_city}暂无网点信息。', lang: 'zh', next: 'branch_more' },
  branch_more: {
    verb: 'menu',
    prompt: [{ tts: '查询其他城市请按一，返回主菜单请按星号，人工服务请按零，结束查询请挂机。', lang: 'zh' }],
    choices: { '1': 'branch_menu', '*': 'welcome', '0': 'agent' },
    timeoutSec: 5,
    retries: 1,
    noInput: 'bye',
  },
};

/**
 * The hotline flow seeded with the demo data: welcome, menu, 0 for an agent, 1 for waybill status
 * by voice (IVR-02): a caller whose number matches a customer hears their latest shipment by
 * name; anyone else (or after that) types a waybill number ending in #. 2 for road conditions
 * from 上海, 3 for a city's branches.
 */
export const demoHotlineFlow: FlowDocument = {
  name: '客服热线主菜单',
  start: 'welcome',
  nodes: {
    welcome: {
      verb: 'menu',
      prompt: [
        {
          tts: '您好，欢迎致电顺达物流客服热线。查询运单请按一，路况查询请按二，网点信息请按三，人工服务请按零。',
          lang: 'zh',
        },
      ],
      choices: { '1': 'track', '2': 'road_menu', '3': 'branch_menu', '0': 'agent' },
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
    ...roadConditionNodes,
    ...branchNodes,
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

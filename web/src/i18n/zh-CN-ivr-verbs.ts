// Simplified Chinese for the IVR editor's voicemail, message, webhook, language and transfer forms
// (issue #5); spread into `zh-CN.ts`.
import type { Widen } from './widen';

export const zhCNIvrVerbs = {
  ivrVerbs: {
    beep: '提示音后开始录音',
    maxSeconds: '最长录音（秒）',
    group: '回电业务组',
    nextOptional: '之后转到（不填则挂机）',
    to: '接收方',
    toHint: 'caller = 来电号码，customer = 客户档案，或填写号码/地址（可用 {变量}）',
    subject: '主题',
    text: '内容（可用 {变量}）',
    onFailure: '发送失败时转到（不填则同下一节点）',
    url: '地址（http/https，可用 {变量}）',
    method: '方法',
    body: '请求体（可用 {变量}）',
    timeoutMs: '超时（毫秒）',
    map: '响应字段存入变量（每行：变量=字段路径，如 eta=data.eta）',
    fallback: '失败或超时转到',
    choices: '按键与语言',
    defaultLanguage: '无按键时的语言',
    kind: '转接到',
    kinds: { number: '外部号码', extension: '分机', group: '业务组' },
    target: '号码 / 分机 / 业务组',
    transferFailure: '无人接听时转到（不填则挂机）',
  },
} as const;

export type IvrVerbMessages = Widen<typeof zhCNIvrVerbs>;

/**
 * The recorded prompt fragments shipped for machines without a TTS engine (IVR-03): digits and
 * number words, date and time words, and the hotline's common phrases, in Mandarin and English.
 * scripts/make-fragments.ts records each one once with espeak-ng; FragmentTts joins them.
 * Changing a text here means running the script again (a fragment's file is named by its text).
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { PromptLanguage } from './tts.ts';

export const shippedFragmentsDir = fileURLToPath(new URL('../../../prompts/fragments', import.meta.url));

const zhWords = [
  ...['零', '〇', '一', '幺', '二', '两', '三', '四', '五', '六', '七', '八', '九'],
  ...['十', '百', '千', '万', '亿', '点'],
  ...[
    '年',
    '月',
    '日',
    '号',
    '时',
    '分',
    '秒',
    '今天',
    '明天',
    '昨天',
    '星期',
    '上午',
    '下午',
    '早上',
    '晚上',
    '中午',
  ],
];

/** Whole phrases of the demo hotline, so the common prompts sound like sentences, not words. */
const zhPhrases = [
  '您好',
  '欢迎致电顺达物流客服热线',
  '查询运单请按一',
  '人工服务请按零',
  '请输入运单号',
  '以井号键结束',
  '输入有误',
  '运单号有误',
  '运单',
  '当前状态',
  '已揽收',
  '运输中',
  '派送中',
  '已签收',
  '签收时间',
  '异常',
  '最后到达',
  '预计',
  '送达',
  '抱歉',
  '没有找到运单',
  '查询其他运单请按二',
  '结束查询请挂机',
  '感谢您的来电',
  '再见',
  '正在为您转接客服代表',
  '请稍候',
  '您最近的运单',
  '没有听清',
  '请用电话按键输入号码',
  '井号键',
  '星号键',
  '结束',
];

const enWords = [
  ...['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  ...['ten', 'hundred', 'thousand', 'point'],
];

const enPhrases = [
  'hello',
  'welcome',
  'please say your waybill number',
  'please enter your waybill number',
  'waybill',
  'your parcel',
  'is',
  'in transit',
  'picked up',
  'out for delivery',
  'delivered',
  'exception',
  'last seen in',
  'expected on',
  'delivered at',
  'not found',
  'sorry',
  'i did not catch that',
  'please key in the number',
  'then press',
  'the hash key',
  'the star key',
  'thank you for calling',
  'goodbye',
];

export const fragmentTexts: Record<PromptLanguage, readonly string[]> = {
  zh: [...zhWords, ...zhPhrases],
  en: [...enWords, ...enPhrases],
};

/** The file of a fragment, named by its text (so renaming a text never serves the old recording). */
export function fragmentFile(lang: PromptLanguage, text: string): string {
  return `${lang}-${createHash('sha1').update(text).digest('hex').slice(0, 12)}.wav`;
}

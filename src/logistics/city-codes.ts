/**
 * Long-distance area codes of the cities the IVR serves: a caller may type the code (028 for
 * 成都) instead of picking a city from a menu. Codes are the public telephone area codes.
 */
const codes: Record<string, string> = {
  '010': '北京',
  '020': '广州',
  '021': '上海',
  '022': '天津',
  '023': '重庆',
  '024': '沈阳',
  '025': '南京',
  '027': '武汉',
  '028': '成都',
  '029': '西安',
  '0571': '杭州',
  '0755': '深圳',
  '0731': '长沙',
  '0371': '郑州',
  '0532': '青岛',
};

/** The city for an area code (with or without the leading 0), or the input itself as a city name. */
export function cityOf(input: string): string {
  const key = input.trim();
  if (/^\d+$/.test(key)) return codes[key] ?? codes[`0${key}`] ?? key;
  return key;
}

/** English names of the cities above and on the demo routes, for the English readout. */
const english: Record<string, string> = {
  北京: 'Beijing',
  广州: 'Guangzhou',
  上海: 'Shanghai',
  天津: 'Tianjin',
  重庆: 'Chongqing',
  沈阳: 'Shenyang',
  南京: 'Nanjing',
  武汉: 'Wuhan',
  成都: 'Chengdu',
  西安: "Xi'an",
  杭州: 'Hangzhou',
  深圳: 'Shenzhen',
  长沙: 'Changsha',
  郑州: 'Zhengzhou',
  青岛: 'Qingdao',
  济南: 'Jinan',
  合肥: 'Hefei',
  南昌: 'Nanchang',
  宜昌: 'Yichang',
  韶关: 'Shaoguan',
};

/** Known city names in `text` replaced by their English names (others are left as written). */
export function citiesInEnglish(text: string): string {
  return text.replace(/[\u4e00-\u9fff]{2,3}/g, (name) => english[name] ?? name);
}

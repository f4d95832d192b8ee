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

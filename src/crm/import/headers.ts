/**
 * Column recognition for customer imports: the contract headers `name, contact, phone, email,
 * region` and `客户名称, 联系人, 手机, 邮箱, 地区` need no mapping, nor do the other common names
 * below; anything else can be mapped explicitly (header text → field).
 */
import { AppError } from '../../shared/index.ts';

export const importFields = [
  'name',
  'contact',
  'title',
  'phone',
  'email',
  'region',
  'industry',
  'tier',
  'relationshipType',
  'lifecycleStage',
  'creditCode',
  'externalId',
  'kind',
] as const;
export type ImportField = (typeof importFields)[number];

const aliases: Record<ImportField, string[]> = {
  name: ['name', 'customer', 'customer name', 'company', '客户名称', '客户', '公司名称', '名称', '客户名'],
  contact: ['contact', 'contact name', '联系人', '联系人姓名', '姓名'],
  title: ['title', 'job title', '职务', '职位'],
  phone: [
    'phone',
    'phones',
    'mobile',
    'telephone',
    'tel',
    '手机',
    '电话',
    '手机号',
    '手机号码',
    '联系电话',
    '座机',
  ],
  email: ['email', 'e-mail', 'mail', '邮箱', '电子邮件', '电子邮箱', '邮件'],
  region: ['region', 'area', 'city', 'province', '地区', '区域', '城市', '省份'],
  industry: ['industry', '行业', '所属行业'],
  tier: ['tier', 'value tier', 'level', '客户等级', '价值等级', '等级'],
  relationshipType: ['relationship', 'relationship type', 'type', '客户类型', '关系类型', '类型'],
  lifecycleStage: ['lifecycle', 'lifecycle stage', 'stage', '生命周期', '阶段', '客户阶段'],
  creditCode: ['credit code', 'unified social credit code', 'uscc', '统一社会信用代码', '信用代码'],
  externalId: ['external id', 'externalid', 'external_id', 'id', '外部编号', '外部id', '编号'],
  kind: ['kind', 'customer kind', '客户性质', '性质'],
};

const normalise = (h: string) =>
  h
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_*]+/g, ' ');

const byAlias = new Map<string, ImportField>();
for (const field of importFields) for (const a of aliases[field]) byAlias.set(normalise(a), field);

export type ColumnMap = Partial<Record<ImportField, number>>;

/**
 * Which column holds which field. `mapping` (header text → field) wins over recognition; unknown
 * headers are ignored. Without a name column nothing can be imported.
 */
export function mapColumns(header: string[], mapping: Record<string, string> = {}): ColumnMap {
  const explicit = new Map(Object.entries(mapping).map(([h, f]) => [normalise(h), f]));
  const columns: ColumnMap = {};
  header.forEach((raw, index) => {
    const h = normalise(raw);
    const mapped = explicit.get(h);
    const field = (
      mapped && (importFields as readonly string[]).includes(mapped) ? mapped : byAlias.get(h)
    ) as ImportField | undefined;
    if (field && columns[field] === undefined) columns[field] = index;
  });
  for (const [h, f] of explicit) {
    if (!(importFields as readonly string[]).includes(f))
      throw new AppError('validation', `mapping: unknown field "${f}" for column "${h}"`, [
        { field: 'mapping', message: `unknown field "${f}"` },
      ]);
  }
  if (columns.name === undefined)
    throw new AppError(
      'validation',
      `file: no customer name column (line 1 has: ${header.filter(Boolean).join(', ') || 'nothing'}); name it "name" or "客户名称", or give a mapping`,
      [{ field: 'file', message: 'no customer name column' }],
    );
  return columns;
}

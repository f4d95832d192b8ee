/**
 * Demo knowledge base (issue #6, CRM-11): a few categories, articles and FAQ entries a logistics
 * hotline answers every day, so the knowledge page and the desk's panel are not empty after install.
 */
import { OrgRepository } from '../crm/index.ts';
import { KnowledgeService } from '../knowledge/index.ts';
import type { Db } from '../store/index.ts';

export async function seedDemoKnowledge(db: Db): Promise<void> {
  const authorId = await new OrgRepository(db).userIdByUsername('supervisor');
  if (!authorId) return;
  const kb = new KnowledgeService(db);
  const author = { id: authorId, role: 'supervisor' };
  const [fees, delivery, claims] = await Promise.all(
    ['运费与计费', '收派件', '理赔与投诉'].map((name, sort) => kb.createCategory({ name, sort })),
  );
  const articles = [
    {
      kind: 'article' as const,
      categoryId: fees!.id,
      title: '运费查询与计算',
      body: '运费按首重加续重计算：首重 1 公斤，续重按每公斤计价；轻抛货按体积重量（长×宽×高÷6000）计。\n客户可拨打热线按 1 查询运单，或在官网输入运单号查询。',
      tags: ['运费', '计费'],
    },
    {
      kind: 'faq' as const,
      categoryId: fees!.id,
      title: '偏远地区是否加收运费？',
      body: '新疆、西藏、青海等偏远地区每票加收 10 元附加费，下单时系统自动计入。',
      tags: ['运费', '偏远'],
    },
    {
      kind: 'article' as const,
      categoryId: delivery!.id,
      title: '派送时间与改约',
      body: '快件到达网点后当天派送；客户可通过热线或短信回复改约派送时间，最长保留 3 天。',
      tags: ['派送'],
    },
    {
      kind: 'faq' as const,
      categoryId: claims!.id,
      title: '快件丢失或破损怎么理赔？',
      body: '签收时发现破损请当场拒收并拍照；丢失件自报案之日起 7 个工作日内核实，按保价金额赔付，未保价按运费 3 倍以内赔付。',
      tags: ['理赔'],
    },
    {
      kind: 'article' as const,
      categoryId: delivery!.id,
      title: 'How to track a shipment',
      body: 'Enter the waybill number on the website or call the hotline and press 1; the latest scan and its branch are read out.',
      tags: ['tracking'],
    },
  ];
  for (const a of articles) await kb.create({ ...a, status: 'published' }, author);
  await kb.create(
    {
      kind: 'article',
      categoryId: claims!.id,
      title: '投诉处理流程（修订中）',
      body: '草稿：投诉升级与回访时限。',
      status: 'draft',
      tags: [],
    },
    author,
  );
}

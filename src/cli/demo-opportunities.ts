/**
 * Demo opportunities and employee-center reports (issue #6), so the kanban board, the forecast and
 * the manager's inbox show something right after install. 华东电子商贸 is left without any (its
 * timeline is the one the timeline tests count).
 */
import { ReportService } from '../crm/employee/index.ts';
import { OrgRepository } from '../crm/index.ts';
import { OpportunityService } from '../crm/opportunities/index.ts';
import { TimelineService } from '../crm/timeline/index.ts';
import type { Db } from '../store/index.ts';

const day = (offsetDays: number): string =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoOpportunities(db: Db, customerIds: Record<string, string>): Promise<void> {
  const org = new OrgRepository(db);
  const [mgr, s1, s2] = await Promise.all(
    ['salesmgr', 'sales1', 'sales2'].map((u) => org.userIdByUsername(u)),
  );
  const chengdu = customerIds['成都天府食品有限公司'];
  const shenzhen = customerIds['深圳智联科技有限公司'];
  const hangzhou = customerIds['杭州丝路服饰有限公司'];
  if (!mgr || !s1 || !s2 || !chengdu || !shenzhen || !hangzhou) return;
  const sales1 = { id: s1, role: 'sales' };
  const sales2 = { id: s2, role: 'sales' };
  const deals = new OpportunityService(db, new TimelineService(db));

  const coldChain = await deals.create(
    {
      customerId: chengdu,
      title: '成都—上海冷链专线 年度合同',
      amount: 860_000,
      expectedCloseDate: day(30),
      source: '老客户推荐',
      scores: { budget: 4, authority: 3, need: 5, timing: 4 },
    },
    sales1,
  );
  await deals.move(coldChain.id, { stageId: 'qualify' }, sales1);
  await deals.move(coldChain.id, { stageId: 'proposal' }, sales1);
  const warehouse = await deals.create(
    { customerId: chengdu, title: '成都仓配一体化试点', amount: 150_000, expectedCloseDate: day(-2) },
    sales1,
  );
  await deals.move(warehouse.id, { stageId: 'won', reasonId: 'won-coverage' }, sales1);

  await deals.create({ customerId: shenzhen, title: '深圳电子元器件 零担运输', source: '官网咨询' }, sales2);
  const apparel = await deals.create(
    {
      customerId: hangzhou,
      title: '杭州服饰 双十二电商仓发',
      amount: 420_000,
      expectedCloseDate: day(14),
      source: '展会',
    },
    sales2,
  );
  for (const stageId of ['qualify', 'proposal', 'negotiation'])
    await deals.move(apparel.id, { stageId }, sales2);

  const reports = new ReportService(db);
  const plan = await reports.create(
    { kind: 'plan', title: '本周计划', body: '1. 成都冷链专线报价跟进\n2. 拜访成都天府食品物流部' },
    sales1,
  );
  await reports.comment(plan.id, '报价前先和运营确认冷链车辆排期', { id: mgr, role: 'sales_manager' });
  await reports.create(
    {
      kind: 'suggestion',
      title: '建议：报价模板加入时效承诺',
      body: '客户普遍关心到货时效，报价单可注明承诺时效与赔付。',
    },
    sales2,
  );
}

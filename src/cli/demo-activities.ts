/**
 * Demo contact records, outings and credit (issue #6) for the demo sales department, so the review
 * inbox, the outings week and the credit panel show something right after install. 华东电子商贸
 * is left without any (its timeline is the one the timeline tests count).
 */
import { ContactRecordService, NotificationService, OutingService } from '../crm/activities/index.ts';
import { CreditService } from '../crm/credit/index.ts';
import { OrgRepository } from '../crm/index.ts';
import { TimelineService } from '../crm/timeline/index.ts';
import type { Db } from '../store/index.ts';

const day = (offsetDays: number): string =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoActivities(db: Db, customerIds: Record<string, string>): Promise<void> {
  const org = new OrgRepository(db);
  const [mgr, s1, s2] = await Promise.all(
    ['salesmgr', 'sales1', 'sales2'].map((u) => org.userIdByUsername(u)),
  );
  const chengdu = customerIds['成都天府食品有限公司'];
  const hangzhou = customerIds['杭州丝路服饰有限公司'];
  if (!mgr || !s1 || !s2 || !chengdu || !hangzhou) return;
  const sales1 = { id: s1, role: 'sales' };
  const sales2 = { id: s2, role: 'sales' };
  const manager = { id: mgr, role: 'sales_manager' };
  const timeline = new TimelineService(db);
  const notifications = new NotificationService(db);
  const records = new ContactRecordService(db, timeline, notifications);
  const outings = new OutingService(db);

  await outings.create({ customerId: chengdu, plannedDate: day(0), purpose: '冷链专线回访' }, sales1);
  await outings.create({ customerId: hangzhou, plannedDate: day(1), purpose: '上门取件流程演示' }, sales2);

  const reviewed = await records.create(
    {
      customerId: chengdu,
      kind: 'call',
      occurredAt: new Date(Date.now() - 3 * 86_400_000),
      result: 'interested',
      summary: '客户咨询成都—上海冷链专线时效和价格',
      nextStep: '发送冷链报价',
      nextStepDate: day(1),
    },
    sales1,
  );
  await records.review(reviewed.id, '报价时附上温控记录样例', manager);
  await records.create(
    {
      customerId: chengdu,
      kind: 'visit',
      occurredAt: new Date(Date.now() - 86_400_000),
      result: 'follow_up',
      summary: '拜访物流部王经理，对方希望月结并提高赔付上限',
      nextStep: '内部确认月结条件',
      nextStepDate: day(3),
      outingId: null,
    },
    sales1,
  );
  await records.create(
    {
      customerId: hangzhou,
      kind: 'meeting',
      occurredAt: new Date(Date.now() - 2 * 86_400_000),
      result: 'deal',
      summary: '签订电子元器件仓配合同',
    },
    sales2,
  );

  const credit = new CreditService(db, timeline, notifications);
  const request = await credit.request(
    hangzhou,
    { rating: 'A', limitAmount: 500_000, reason: '合作三年，回款及时' },
    sales2,
  );
  await credit.decide(request.id, true, '同意', manager);
}

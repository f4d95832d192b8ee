/**
 * Demo data for a first start (issue #2): a logistics company's hotline with agents 1001–1010, a
 * supervisor, an admin, the "general" skill group, the hotline number 4008001000 and customers;
 * a sales department (salesmgr, sales1, sales2) with data scopes.
 * Seeded only into an empty database.
 */
import { CustomerService } from '../crm/index.ts';
import { hashPassword } from '../directory/index.ts';
import { demoHotlineFlow } from '../ivr/index.ts';
import { ShipmentRepository } from '../shipments/index.ts';
import { newId, tables, type Db } from '../store/index.ts';
import { seedDemoSalesOrg } from './demo-sales-org.ts';
import { seedDemoActivities } from './demo-activities.ts';
import { seedDemoOpportunities } from './demo-opportunities.ts';
import { seedDemoShipments } from './demo-shipments.ts';
import { BranchRepository, RoadConditionRepository } from '../logistics/index.ts';
import { seedDemoLogistics } from './demo-logistics.ts';
import { seedDemoKnowledge } from './demo-knowledge.ts';

export const DEMO_HOTLINE = '4008001000';

const agentNames = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周婷', '吴强'];

export const demoCustomers = [
  {
    name: '华东电子商贸有限公司',
    tier: 'key',
    contacts: [{ name: '王建国', title: '物流主管', phones: ['138 0000 0001', '021-5888 0001'] }],
  },
  {
    name: '成都天府食品有限公司',
    tier: 'ordinary',
    contacts: [
      { name: '李秀英', title: '采购经理', phones: ['13900000002'] },
      { name: '张磊', title: '仓库主管', phones: ['028-8555 0002'] },
    ],
  },
  {
    name: '深圳智联科技有限公司',
    tier: 'key',
    contacts: [{ name: '陈晓明', title: '运营总监', phones: ['+86 137 0000 0003'] }],
  },
  {
    name: '北京京通家居连锁',
    tier: 'ordinary',
    contacts: [{ name: '刘梅', title: null, phones: ['010-6552 0004', '13600000004'] }],
  },
  {
    name: '杭州丝路服饰有限公司',
    tier: 'small',
    contacts: [{ name: '赵丽', title: '电商负责人', phones: ['135 0000 0005'] }],
  },
  {
    name: '周先生',
    kind: 'person' as const,
    tier: 'small',
    contacts: [{ name: '周先生', title: null, phones: ['18600000006'] }],
  },
];

export async function seedDemo(db: Db, password: string): Promise<void> {
  const pw = await hashPassword(password);
  const { users, agents, skillGroups, agentGroups, ivrFlows, ivrFlowVersions, serviceNumbers } = tables;
  await db.transaction(async (tx) => {
    await tx.insert(users).values([
      { id: newId('usr'), username: 'admin', displayName: '系统管理员', role: 'admin', passwordHash: pw },
      {
        id: newId('usr'),
        username: 'supervisor',
        displayName: '值班主管',
        role: 'supervisor',
        passwordHash: pw,
      },
    ]);
    const groupId = newId('grp');
    await tx.insert(skillGroups).values({
      id: groupId,
      name: 'general',
      displayName: '综合业务组',
      strategy: 'longest_idle',
      wrapUpSeconds: 10,
      ringTimeoutSeconds: 20,
    });
    for (let i = 0; i < 10; i++) {
      const ext = String(1001 + i);
      const userId = newId('usr');
      const agentId = newId('agt');
      await tx.insert(users).values({
        id: userId,
        username: ext,
        displayName: `${agentNames[i]} (${ext})`,
        role: 'agent',
        passwordHash: pw,
      });
      await tx.insert(agents).values({ id: agentId, userId, extension: ext, sipPassword: password });
      await tx.insert(agentGroups).values({ agentId, groupId, level: 1 });
    }
    // The hotline flow is version 1, published (issue #5: flows are versioned data).
    const flowId = newId('ivf');
    await tx.insert(ivrFlows).values({
      id: flowId,
      name: demoHotlineFlow.name,
      version: 1,
      publishedVersion: 1,
      document: demoHotlineFlow,
    });
    await tx
      .insert(ivrFlowVersions)
      .values({ flowId, version: 1, document: demoHotlineFlow, publishedAt: new Date() });
    await tx.insert(serviceNumbers).values({ number: DEMO_HOTLINE, name: '客服热线', flowId });
  });
  const customers = new CustomerService(db);
  const ids: Record<string, string> = {};
  for (const c of demoCustomers) ids[c.name] = (await customers.create(c)).id;
  // Issue #6: the sales department with data scopes, owning some of the customers.
  await seedDemoSalesOrg(db, pw, ids);
  // Contact records (one reviewed, some awaiting review), outings this week, credit.
  await seedDemoActivities(db, ids);
  // Opportunities in several stages and employee-center reports for the kanban board and inbox.
  await seedDemoOpportunities(db, ids);
  // IVR-02: shipments the hotline reads by voice (by waybill, or the identified caller's latest).
  await seedDemoShipments(new ShipmentRepository(db), ids);
  // IVR-02: road conditions from 上海 and branches the hotline's menus 2 and 3 read out.
  await seedDemoLogistics(new RoadConditionRepository(db), new BranchRepository(db));
  // CRM-11: knowledge base categories, articles and FAQ for the desk's panel.
  await seedDemoKnowledge(db);
}

export async function createAdmin(db: Db, username: string, password: string): Promise<void> {
  await db.insert(tables.users).values({
    id: newId('usr'),
    username,
    displayName: username,
    role: 'admin',
    passwordHash: await hashPassword(password),
  });
}

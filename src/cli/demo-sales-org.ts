/**
 * The demo sales organisation (issue #6): department 销售部 managed by `salesmgr` with salespeople
 * `sales1` and `sales2`. The manager sees his own and his salespeople's customers, each
 * salesperson only their own, so the data scopes can be seen at work right after install.
 */
import { eq } from 'drizzle-orm';
import { DataScopes, OrgRepository, scopeActions } from '../crm/index.ts';
import { newId, tables, type Db } from '../store/index.ts';

/** Which demo customers (by name) each salesperson owns. */
const demoBooks: Record<string, string[]> = {
  sales1: ['华东电子商贸有限公司', '成都天府食品有限公司'],
  sales2: ['深圳智联科技有限公司', '杭州丝路服饰有限公司'],
};

export async function seedDemoSalesOrg(
  db: Db,
  passwordHash: string,
  customerIds: Record<string, string>,
): Promise<void> {
  const { users, customers } = tables;
  const org = new OrgRepository(db);
  const ids = { salesmgr: newId('usr'), sales1: newId('usr'), sales2: newId('usr') };
  await db.insert(users).values([
    {
      id: ids.salesmgr,
      username: 'salesmgr',
      displayName: '销售经理 孙强',
      role: 'sales_manager',
      passwordHash,
    },
    { id: ids.sales1, username: 'sales1', displayName: '销售 钱丽', role: 'sales', passwordHash },
    { id: ids.sales2, username: 'sales2', displayName: '销售 郑浩', role: 'sales', passwordHash },
  ]);
  const department = await org.createDepartment({ name: '销售部', managerUserId: ids.salesmgr });
  await org.setUserDepartment(Object.values(ids), department.id);
  // Stored as data so an administrator can see and change them; the same as the built-in defaults.
  const scopes = new DataScopes(db);
  for (const action of scopeActions) {
    await scopes.setScope('sales_manager', 'customer', action, 'own_and_subordinates');
    await scopes.setScope('sales', 'customer', action, 'own');
  }
  for (const [username, names] of Object.entries(demoBooks)) {
    const ownerUserId = ids[username as keyof typeof ids];
    for (const name of names) {
      const id = customerIds[name];
      if (id)
        await db
          .update(customers)
          .set({ ownerUserId, departmentId: department.id })
          .where(eq(customers.id, id));
    }
  }
}

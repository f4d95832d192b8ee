/**
 * The organisation tree (CRM-02): departments with parents and managers. A manager's subordinates
 * are the users of every department they manage and of all departments below those.
 */
import { eq, inArray } from 'drizzle-orm';
import { newId, tables, type Db } from '../../store/index.ts';

const { departments, users } = tables;

export interface DepartmentRecord {
  id: string;
  name: string;
  parentId: string | null;
  managerUserId: string | null;
}

export class OrgRepository {
  constructor(private readonly db: Db) {}

  async createDepartment(input: {
    name: string;
    parentId?: string | null;
    managerUserId?: string | null;
  }): Promise<DepartmentRecord> {
    const row = {
      id: newId('dep'),
      name: input.name,
      parentId: input.parentId ?? null,
      managerUserId: input.managerUserId ?? null,
    };
    await this.db.insert(departments).values(row);
    return row;
  }

  async listDepartments(): Promise<DepartmentRecord[]> {
    return this.db
      .select({
        id: departments.id,
        name: departments.name,
        parentId: departments.parentId,
        managerUserId: departments.managerUserId,
      })
      .from(departments)
      .orderBy(departments.name);
  }

  async setUserDepartment(userIds: string[], departmentId: string | null): Promise<void> {
    if (userIds.length === 0) return;
    await this.db.update(users).set({ departmentId }).where(inArray(users.id, userIds));
  }

  async userDepartment(userId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ departmentId: users.departmentId })
      .from(users)
      .where(eq(users.id, userId));
    return row?.departmentId ?? null;
  }

  /** Departments the user manages, with every department below them. */
  async managedDepartmentIds(userId: string): Promise<string[]> {
    const all = await this.listDepartments();
    const children = new Map<string, string[]>();
    for (const d of all) {
      if (!d.parentId) continue;
      children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.id]);
    }
    const found = new Set<string>();
    const stack = all.filter((d) => d.managerUserId === userId).map((d) => d.id);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (found.has(id)) continue;
      found.add(id);
      stack.push(...(children.get(id) ?? []));
    }
    return [...found];
  }

  /** Users of the departments the user manages (directly or below), without the user. */
  async subordinateUserIds(userId: string): Promise<string[]> {
    const deptIds = await this.managedDepartmentIds(userId);
    if (deptIds.length === 0) return [];
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(inArray(users.departmentId, deptIds));
    return rows.map((r) => r.id).filter((id) => id !== userId);
  }

  async userIdByUsername(username: string): Promise<string | null> {
    const [row] = await this.db.select({ id: users.id }).from(users).where(eq(users.username, username));
    return row?.id ?? null;
  }
}

/**
 * Data-scope enforcement in one place (CRM-02, PLT-02): (user, object, action) becomes a SQL
 * condition on the object's table. Every list, get, update, delete and export of customers adds
 * it to its WHERE clause, so a record out of scope is simply not found.
 */
import { and, eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../store/index.ts';
import { OrgRepository } from '../org/org.repository.ts';
import {
  defaultScope,
  scopeLevels,
  type ScopeAction,
  type ScopeLevel,
  type ScopeObject,
} from './default-scopes.ts';

const { customers, roleDataScopes, users } = tables;

/** Who is asking: a signed-in user, or the system itself (CLI on the database, demo seed). */
export type Actor = { id: string; role: string } | { system: true };

export const systemActor: Actor = { system: true };

export class DataScopes {
  private readonly org: OrgRepository;

  constructor(private readonly db: Db) {
    this.org = new OrgRepository(db);
  }

  async scopeOf(role: string, object: ScopeObject, action: ScopeAction): Promise<ScopeLevel> {
    const [row] = await this.db
      .select({ scope: roleDataScopes.scope })
      .from(roleDataScopes)
      .where(
        and(
          eq(roleDataScopes.role, role),
          eq(roleDataScopes.object, object),
          eq(roleDataScopes.action, action),
        ),
      );
    const stored = row?.scope;
    return stored && (scopeLevels as readonly string[]).includes(stored)
      ? stored
      : defaultScope(role, object, action);
  }

  async setScope(role: string, object: ScopeObject, action: ScopeAction, scope: ScopeLevel): Promise<void> {
    await this.db
      .insert(roleDataScopes)
      .values({ role, object, action, scope })
      .onConflictDoUpdate({
        target: [roleDataScopes.role, roleDataScopes.object, roleDataScopes.action],
        set: { scope, updatedAt: new Date() },
      });
  }

  /** The condition on `customers` selecting the rows `actor` may `action`. */
  async customerCondition(actor: Actor, action: ScopeAction): Promise<SQL> {
    if ('system' in actor) return sql`true`;
    const level = await this.scopeOf(actor.role, 'customer', action);
    return this.ownerCondition(actor.id, level, customers.ownerUserId);
  }

  /** The condition on any table whose `ownerColumn` names the user a row belongs to (e.g. its author). */
  async ownedCondition(
    actor: Actor,
    object: ScopeObject,
    action: ScopeAction,
    ownerColumn: AnyColumn,
  ): Promise<SQL> {
    if ('system' in actor) return sql`true`;
    return this.ownerCondition(actor.id, await this.scopeOf(actor.role, object, action), ownerColumn);
  }

  private async ownerCondition(userId: string, level: ScopeLevel, column: AnyColumn): Promise<SQL> {
    switch (level) {
      case 'all':
        return sql`true`;
      case 'none':
        return sql`false`;
      case 'own':
        return eq(column, userId);
      case 'own_and_subordinates':
        return inArray(column, [userId, ...(await this.org.subordinateUserIds(userId))]);
      case 'department': {
        const departmentId = await this.org.userDepartment(userId);
        if (!departmentId) return eq(column, userId);
        return inArray(
          column,
          this.db.select({ id: users.id }).from(users).where(eq(users.departmentId, departmentId)),
        );
      }
    }
  }
}

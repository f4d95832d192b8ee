/**
 * Employee center (CRM-08): weekly plans, weekly summaries and suggestions. A report belongs to its
 * author and is scoped by the `employee_report` data scope, so the author's department manager (a
 * superior by the organisation tree) sees it; the manager and the author comment on it.
 */
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { AppError, notFound } from '../../shared/index.ts';
import { newId, tables, type Db } from '../../store/index.ts';
import { OrgRepository } from '../org/org.repository.ts';
import { DataScopes } from '../scopes/data-scopes.ts';
import {
  mondayOf,
  type CreateReportInput,
  type ReportQuery,
  type ReportView,
  type UpdateReportInput,
} from './report.schemas.ts';

const { employeeReportComments, employeeReports, users } = tables;

export type UserActor = { id: string; role: string };

export class ReportService {
  private readonly scopes: DataScopes;
  private readonly org: OrgRepository;

  constructor(private readonly db: Db) {
    this.scopes = new DataScopes(db);
    this.org = new OrgRepository(db);
  }

  private scope(actor: UserActor, action: 'view' | 'edit') {
    return this.scopes.ownedCondition(actor, 'employee_report', action, employeeReports.userId);
  }

  async page(query: ReportQuery, actor: UserActor) {
    return this.list(query, [
      await this.scope(actor, 'view'),
      query.mine ? eq(employeeReports.userId, actor.id) : undefined,
    ]);
  }

  /** Reports of the caller's subordinates by the organisation tree, newest first. */
  async inbox(query: ReportQuery, actor: UserActor) {
    const subordinates = await this.org.subordinateUserIds(actor.id);
    return this.list(query, [
      subordinates.length > 0 ? inArray(employeeReports.userId, subordinates) : sql`false`,
    ]);
  }

  async get(id: string, actor: UserActor): Promise<ReportView> {
    const [view] = (
      await this.list({ limit: 1, offset: 0 }, [eq(employeeReports.id, id), await this.scope(actor, 'view')])
    ).items;
    if (!view) throw notFound(`report ${id}`);
    return view;
  }

  async create(input: CreateReportInput, actor: UserActor): Promise<ReportView> {
    const id = newId('rep');
    await this.db.insert(employeeReports).values({
      id,
      userId: actor.id,
      kind: input.kind,
      weekStart: mondayOf(input.weekStart ?? new Date().toISOString().slice(0, 10)),
      title: input.title,
      body: input.body,
    });
    return this.get(id, actor);
  }

  /** Only the author edits a report. */
  async update(id: string, input: UpdateReportInput, actor: UserActor): Promise<ReportView> {
    const view = await this.get(id, actor);
    if (view.userId !== actor.id) throw new AppError('forbidden', 'only the author changes a report');
    await this.db
      .update(employeeReports)
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.weekStart !== undefined ? { weekStart: mondayOf(input.weekStart) } : {}),
        updatedAt: new Date(),
      })
      .where(eq(employeeReports.id, id));
    return this.get(id, actor);
  }

  /** The author's superiors comment, and the author answers. */
  async comment(id: string, body: string, actor: UserActor): Promise<ReportView> {
    const view = await this.get(id, actor);
    if (view.userId !== actor.id && !(await this.org.subordinateUserIds(actor.id)).includes(view.userId))
      throw new AppError('forbidden', "only the author and the author's managers comment");
    await this.db
      .insert(employeeReportComments)
      .values({ id: newId('rcm'), reportId: id, authorUserId: actor.id, body });
    return this.get(id, actor);
  }

  private async list(
    query: Partial<ReportQuery>,
    conditions: (SQL | undefined)[],
  ): Promise<{ items: ReportView[]; total: number }> {
    const where = and(
      query.kind ? eq(employeeReports.kind, query.kind) : undefined,
      query.userId ? eq(employeeReports.userId, query.userId) : undefined,
      query.weekStart ? eq(employeeReports.weekStart, mondayOf(query.weekStart)) : undefined,
      ...conditions,
    );
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ r: employeeReports, userName: users.displayName })
        .from(employeeReports)
        .leftJoin(users, eq(users.id, employeeReports.userId))
        .where(where)
        .orderBy(desc(employeeReports.weekStart), desc(employeeReports.createdAt), desc(employeeReports.id))
        .limit(query.limit ?? 50)
        .offset(query.offset ?? 0),
      this.db.select({ n: count() }).from(employeeReports).where(where),
    ]);
    const comments =
      rows.length === 0
        ? []
        : await this.db
            .select({ c: employeeReportComments, authorName: users.displayName })
            .from(employeeReportComments)
            .leftJoin(users, eq(users.id, employeeReportComments.authorUserId))
            .where(
              inArray(
                employeeReportComments.reportId,
                rows.map((r) => r.r.id),
              ),
            )
            .orderBy(asc(employeeReportComments.createdAt), asc(employeeReportComments.id));
    const items = rows.map(({ r, userName }) => ({
      id: r.id,
      userId: r.userId,
      userName: userName ?? r.userId,
      kind: r.kind,
      weekStart: r.weekStart,
      title: r.title,
      body: r.body,
      comments: comments
        .filter((c) => c.c.reportId === r.id)
        .map((c) => ({
          id: c.c.id,
          authorId: c.c.authorUserId,
          authorName: c.authorName ?? c.c.authorUserId,
          body: c.c.body,
          createdAt: c.c.createdAt.toISOString(),
        })),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }));
    return { items, total: Number(total?.n ?? 0) };
  }
}

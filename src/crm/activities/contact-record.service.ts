/**
 * Contact records (联系记录) and their review (批复), CRM-04. A record belongs to its author and is
 * scoped by the `contact_record` data scope. A superior of the author by the organisation tree
 * replies once; the author is notified and the record is frozen from then on (edits and deletes of
 * a reviewed record answer 409), so the reply always refers to what the manager read.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError, invalid, notFound } from '../../shared/index.ts';
import { newId, tables, type Db } from '../../store/index.ts';
import { OrgRepository } from '../org/org.repository.ts';
import { DataScopes, type Actor } from '../scopes/data-scopes.ts';
import type { TimelineWriter } from '../timeline/index.ts';
import { ContactRecordRepository, type ContactRecordRow } from './contact-record.repository.ts';
import type {
  ContactRecordQuery,
  ContactRecordView,
  CreateContactRecordInput,
  UpdateContactRecordInput,
} from './contact-record.schemas.ts';
import { requireVisibleCustomer } from './customer-access.ts';
import type { NotificationService } from './notification.service.ts';

const { cdrs, contactRecords, customerTimeline, outings } = tables;

export type UserActor = { id: string; role: string };

export class ContactRecordService {
  private readonly repo: ContactRecordRepository;
  private readonly scopes: DataScopes;
  private readonly org: OrgRepository;

  constructor(
    private readonly db: Db,
    private readonly timeline: TimelineWriter,
    private readonly notifications: NotificationService,
  ) {
    this.repo = new ContactRecordRepository(db);
    this.scopes = new DataScopes(db);
    this.org = new OrgRepository(db);
  }

  private scope(actor: Actor, action: 'view' | 'edit' | 'delete') {
    return this.scopes.ownedCondition(actor, 'contact_record', action, contactRecords.authorUserId);
  }

  async page(query: ContactRecordQuery, actor: UserActor) {
    return this.repo.page(query, [
      await this.scope(actor, 'view'),
      query.mine ? eq(contactRecords.authorUserId, actor.id) : undefined,
    ]);
  }

  /** Records of the caller's subordinates (by the org tree) that still await a reply. */
  async inbox(query: ContactRecordQuery, actor: UserActor) {
    const subordinates = await this.org.subordinateUserIds(actor.id);
    return this.repo.page({ ...query, status: 'pending' }, [
      subordinates.length > 0 ? inArray(contactRecords.authorUserId, subordinates) : sql`false`,
    ]);
  }

  async get(id: string, actor: UserActor): Promise<ContactRecordView> {
    const row = await this.repo.rowInScope(id, await this.scope(actor, 'view'));
    if (!row) throw notFound(`contact record ${id}`);
    return this.view(id);
  }

  async create(input: CreateContactRecordInput, actor: UserActor): Promise<ContactRecordView> {
    const customer = await requireVisibleCustomer(this.db, this.scopes, actor, input.customerId);
    if (input.outingId) await this.checkOuting(input.outingId, input.customerId, actor);
    if (input.cdrId) await this.checkCdr(input.cdrId);
    const id = newId('crec');
    await this.repo.insert({
      id,
      customerId: customer.id,
      contactId: input.contactId ?? null,
      kind: input.kind,
      occurredAt: input.occurredAt,
      result: input.result,
      summary: input.summary,
      nextStep: input.nextStep ?? null,
      nextStepDate: input.nextStepDate ?? null,
      authorUserId: actor.id,
      cdrId: input.cdrId ?? null,
      outingId: input.outingId ?? null,
    });
    const view = await this.view(id);
    await this.timeline.append({
      customerId: customer.id,
      kind: 'contact_record',
      refId: id,
      title: `${view.kind}: ${view.result}`,
      occurredAt: input.occurredAt,
      detail: timelineDetail(view),
    });
    return view;
  }

  async update(id: string, input: UpdateContactRecordInput, actor: UserActor): Promise<ContactRecordView> {
    const row = await this.editable(id, actor, 'edit');
    if (input.outingId) await this.checkOuting(input.outingId, row.customerId, actor);
    if (input.cdrId) await this.checkCdr(input.cdrId);
    await this.repo.update(id, input);
    const view = await this.view(id);
    // The timeline entry shows the record as it now reads.
    await this.db
      .update(customerTimeline)
      .set({
        title: `${view.kind}: ${view.result}`,
        occurredAt: new Date(view.occurredAt),
        detail: timelineDetail(view),
      })
      .where(and(eq(customerTimeline.kind, 'contact_record'), eq(customerTimeline.refId, id)));
    return view;
  }

  async remove(id: string, actor: UserActor): Promise<void> {
    await this.editable(id, actor, 'delete');
    await this.db
      .delete(customerTimeline)
      .where(and(eq(customerTimeline.kind, 'contact_record'), eq(customerTimeline.refId, id)));
    await this.repo.remove(id);
  }

  /** 批复: a superior of the author replies once; the author is notified. */
  async review(id: string, comment: string, actor: UserActor): Promise<ContactRecordView> {
    const row = await this.repo.rowInScope(id, await this.scope(actor, 'view'));
    if (!row) throw notFound(`contact record ${id}`);
    if (!(await this.org.subordinateUserIds(actor.id)).includes(row.authorUserId))
      throw new AppError('forbidden', "only a superior of the record's author reviews it");
    if (row.status === 'reviewed') throw new AppError('invalid_state', 'the record is already reviewed');
    await this.repo.update(id, {
      status: 'reviewed',
      reviewerUserId: actor.id,
      reviewComment: comment,
      reviewedAt: new Date(),
    });
    const view = await this.view(id);
    await this.db
      .update(customerTimeline)
      .set({ detail: timelineDetail(view) })
      .where(and(eq(customerTimeline.kind, 'contact_record'), eq(customerTimeline.refId, id)));
    await this.notifications.notify({
      userId: row.authorUserId,
      kind: 'contact_record.reviewed',
      title: `${view.reviewerName ?? actor.id} reviewed your record on ${view.customerName}`,
      body: comment,
      refType: 'contact_record',
      refId: id,
    });
    return view;
  }

  private async editable(id: string, actor: UserActor, action: 'edit' | 'delete'): Promise<ContactRecordRow> {
    const row = await this.repo.rowInScope(id, await this.scope(actor, action));
    if (!row) throw notFound(`contact record ${id}`);
    if (row.status === 'reviewed')
      throw new AppError('invalid_state', 'a reviewed contact record can no longer be changed');
    return row;
  }

  private async checkOuting(outingId: string, customerId: string, actor: UserActor): Promise<void> {
    const scope = await this.scopes.ownedCondition(actor, 'outing', 'view', outings.userId);
    const [outing] = await this.db
      .select({ customerId: outings.customerId })
      .from(outings)
      .where(and(eq(outings.id, outingId), scope));
    if (!outing) throw invalid('outingId', `no outing ${outingId} in your scope`);
    if (outing.customerId !== customerId) throw invalid('outingId', 'the outing is for another customer');
  }

  private async checkCdr(cdrId: string): Promise<void> {
    const [cdr] = await this.db.select({ id: cdrs.id }).from(cdrs).where(eq(cdrs.id, cdrId));
    if (!cdr) throw invalid('cdrId', `no call record ${cdrId}`);
  }

  private async view(id: string): Promise<ContactRecordView> {
    const [view] = await this.repo.views([id]);
    if (!view) throw notFound(`contact record ${id}`);
    return view;
  }
}

function timelineDetail(v: ContactRecordView): Record<string, unknown> {
  return {
    summary: v.summary,
    result: v.result,
    author: v.authorName,
    nextStep: v.nextStep,
    nextStepDate: v.nextStepDate,
    status: v.status,
    reviewComment: v.reviewComment,
    reviewer: v.reviewerName,
  };
}

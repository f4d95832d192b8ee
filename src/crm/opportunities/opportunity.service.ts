/**
 * Opportunities (机会管理, CRM-05). A deal belongs to its owner and is scoped by the `opportunity`
 * data scope; outside it a deal answers 404. It moves through configurable stages: entering a stage
 * demands the stage's required fields (400 naming the first missing one) and sets the stage's
 * default probability, which the owner may then override. Won and lost stages demand a reason of
 * their outcome. Every move is kept in the stage history and lands on the customer's timeline.
 */
import { and, eq } from 'drizzle-orm';
import { AppError, invalid, notFound } from '../../shared/index.ts';
import { newId, tables, type Db } from '../../store/index.ts';
import { requireVisibleCustomer } from '../activities/customer-access.ts';
import { DataScopes, type Actor } from '../scopes/data-scopes.ts';
import type { TimelineWriter } from '../timeline/index.ts';
import { OpportunityRepository, type OpportunityRow } from './opportunity.repository.ts';
import {
  scoreCriteria,
  type CreateOpportunityInput,
  type CriteriaField,
  type MoveInput,
  type OpportunityQuery,
  type OpportunityView,
  type StageView,
  type UpdateOpportunityInput,
} from './opportunity.schemas.ts';
import { StageService } from './stage.service.ts';

const { opportunities, users } = tables;

export type UserActor = { id: string; role: string };

/** Roles that may give a deal to someone else (within their own edit scope). */
const assigningRoles = ['admin', 'supervisor', 'sales_manager'];

type CriteriaState = Pick<OpportunityRow, 'amount' | 'expectedCloseDate' | 'source' | 'scores'>;

/** The first of the stage's required fields that `state` leaves empty, if any. */
export function missingCriterion(stage: StageView, state: CriteriaState): CriteriaField | null {
  for (const field of stage.requiredFields) {
    const filled =
      field === 'amount'
        ? state.amount !== null && state.amount !== undefined
        : field === 'scores'
          ? scoreCriteria.every((c) => typeof state.scores?.[c] === 'number')
          : Boolean(state[field]?.trim());
    if (!filled) return field;
  }
  return null;
}

export class OpportunityService {
  private readonly repo: OpportunityRepository;
  private readonly scopes: DataScopes;
  readonly stages: StageService;

  constructor(
    private readonly db: Db,
    private readonly timeline: TimelineWriter,
  ) {
    this.repo = new OpportunityRepository(db);
    this.scopes = new DataScopes(db);
    this.stages = new StageService(db);
  }

  scope(actor: Actor, action: 'view' | 'edit' | 'delete') {
    return this.scopes.ownedCondition(actor, 'opportunity', action, opportunities.ownerUserId);
  }

  async page(query: OpportunityQuery, actor: UserActor) {
    return this.repo.page(query, await this.scope(actor, 'view'));
  }

  async forecast(groupBy: 'stage' | 'owner', ownerId: string | undefined, actor: UserActor) {
    return this.repo.forecast(groupBy, this.repo.filters({ ownerId }, await this.scope(actor, 'view')));
  }

  async get(id: string, actor: UserActor): Promise<OpportunityView> {
    if (!(await this.repo.rowInScope(id, await this.scope(actor, 'view'))))
      throw notFound(`opportunity ${id}`);
    return this.view(id);
  }

  async history(id: string, actor: UserActor) {
    if (!(await this.repo.rowInScope(id, await this.scope(actor, 'view'))))
      throw notFound(`opportunity ${id}`);
    return this.repo.history(id);
  }

  async create(input: CreateOpportunityInput, actor: UserActor): Promise<OpportunityView> {
    const customer = await requireVisibleCustomer(this.db, this.scopes, actor, input.customerId);
    const ownerId = await this.checkOwner(input.ownerId, actor);
    const stages = await this.stages.stages();
    const stage = input.stageId
      ? stages.find((s) => s.id === input.stageId && s.active)
      : stages.find((s) => s.active && s.outcome === 'open');
    if (!stage)
      throw invalid('stageId', input.stageId ? `no active stage ${input.stageId}` : 'no open stage');
    if (stage.outcome !== 'open') throw invalid('stageId', 'a new opportunity starts in an open stage');
    const state = {
      amount: input.amount ?? null,
      expectedCloseDate: input.expectedCloseDate ?? null,
      source: input.source ?? null,
      scores: input.scores ?? {},
    };
    const missing = missingCriterion(stage, state);
    if (missing) throw invalid(missing, `required before entering stage ${stage.nameEn}`);
    const id = newId('opp');
    await this.repo.insert({
      id,
      customerId: customer.id,
      title: input.title,
      ownerUserId: ownerId,
      stageId: stage.id,
      ...state,
      probability: input.probability ?? stage.probability,
      createdBy: actor.id,
    });
    await this.repo.addHistory({
      id: newId('osh'),
      opportunityId: id,
      toStageId: stage.id,
      movedBy: actor.id,
    });
    const view = await this.view(id);
    await this.timeline.append({
      customerId: customer.id,
      kind: 'opportunity',
      refId: id,
      title: `opportunity ${view.title}: ${stage.nameZh}`,
      detail: { event: 'created', stage: stage.id, amount: view.amount, owner: view.ownerName },
    });
    return view;
  }

  async update(id: string, input: UpdateOpportunityInput, actor: UserActor): Promise<OpportunityView> {
    const row = await this.repo.rowInScope(id, await this.scope(actor, 'edit'));
    if (!row) throw notFound(`opportunity ${id}`);
    const ownerId = input.ownerId === undefined ? undefined : await this.checkOwner(input.ownerId, actor);
    const scores = input.scores === undefined ? undefined : { ...row.scores, ...input.scores };
    // The deal must keep meeting its current stage's criteria: clearing a required field is refused.
    const stage = await this.stages.stage(row.stageId);
    const next = {
      amount: input.amount === undefined ? row.amount : input.amount,
      expectedCloseDate:
        input.expectedCloseDate === undefined ? row.expectedCloseDate : input.expectedCloseDate,
      source: input.source === undefined ? row.source : input.source,
      scores: scores ?? row.scores,
    };
    const missing = stage ? missingCriterion(stage, next) : null;
    if (missing) throw invalid(missing, `required in stage ${stage!.nameEn}`);
    await this.repo.update(id, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(ownerId !== undefined ? { ownerUserId: ownerId } : {}),
      ...(input.probability !== undefined ? { probability: input.probability } : {}),
      ...next,
    });
    const view = await this.view(id);
    if (ownerId !== undefined && ownerId !== row.ownerUserId)
      await this.timeline.append({
        customerId: row.customerId,
        kind: 'opportunity',
        refId: id,
        title: `opportunity ${view.title}: owner ${view.ownerName}`,
        detail: { event: 'owner', from: row.ownerUserId, to: ownerId },
      });
    return view;
  }

  /** Move to another stage; 400 names the first missing entry criterion or the missing reason. */
  async move(id: string, input: MoveInput, actor: UserActor): Promise<OpportunityView> {
    const row = await this.repo.rowInScope(id, await this.scope(actor, 'edit'));
    if (!row) throw notFound(`opportunity ${id}`);
    const stage = await this.stages.stage(input.stageId);
    if (!stage || !stage.active) throw invalid('stageId', `no active stage ${input.stageId}`);
    if (stage.id === row.stageId)
      throw new AppError('invalid_state', `the opportunity is already in ${stage.id}`);
    const missing = missingCriterion(stage, row);
    if (missing) throw invalid(missing, `required before entering stage ${stage.nameEn}`);
    let reasonId: string | null = null;
    if (stage.outcome !== 'open') {
      if (!input.reasonId) throw invalid('reasonId', `a ${stage.outcome} reason is required`);
      const reason = await this.stages.reason(input.reasonId);
      if (!reason || !reason.active || reason.outcome !== stage.outcome)
        throw invalid('reasonId', `no active ${stage.outcome} reason ${input.reasonId}`);
      reasonId = reason.id;
    }
    const now = new Date();
    await this.repo.update(id, {
      stageId: stage.id,
      probability: stage.probability,
      status: stage.outcome,
      reasonId,
      reasonNote: stage.outcome === 'open' ? null : (input.reasonNote ?? null),
      closedAt: stage.outcome === 'open' ? null : now,
    });
    await this.repo.addHistory({
      id: newId('osh'),
      opportunityId: id,
      fromStageId: row.stageId,
      toStageId: stage.id,
      movedBy: actor.id,
      movedAt: now,
    });
    const view = await this.view(id);
    await this.timeline.append({
      customerId: row.customerId,
      kind: 'opportunity',
      refId: id,
      title: `opportunity ${view.title}: ${stage.nameZh}`,
      occurredAt: now,
      detail: {
        event: stage.outcome === 'open' ? 'stage' : stage.outcome,
        from: row.stageId,
        to: stage.id,
        reasonId,
        reasonNote: view.reasonNote,
        amount: view.amount,
      },
    });
    return view;
  }

  async remove(id: string, actor: UserActor): Promise<OpportunityView> {
    const row = await this.repo.rowInScope(id, await this.scope(actor, 'delete'));
    if (!row) throw notFound(`opportunity ${id}`);
    const view = await this.view(id);
    await this.repo.update(id, { deletedAt: new Date() });
    return view;
  }

  /** The owner of a new or reassigned deal: the caller, or a user within an assigning role's scope. */
  private async checkOwner(ownerId: string | undefined, actor: UserActor): Promise<string> {
    if (!ownerId || ownerId === actor.id) return actor.id;
    if (!assigningRoles.includes(actor.role))
      throw new AppError('forbidden', 'only admins, supervisors and sales managers assign opportunities');
    const [user] = await this.db
      .select({ id: users.id })
      .from(users)
      .where(
        and(eq(users.id, ownerId), await this.scopes.ownedCondition(actor, 'opportunity', 'edit', users.id)),
      );
    if (!user) throw invalid('ownerId', `no user ${ownerId} you may assign to`);
    return user.id;
  }

  private async view(id: string): Promise<OpportunityView> {
    const view = await this.repo.view(id);
    if (!view) throw notFound(`opportunity ${id}`);
    return view;
  }
}

/**
 * Pipeline configuration (CRM-05): stages with their default probability and entry criteria, and
 * the reasons offered when a deal is won or lost. Admins change them; everyone reads them.
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, notFound } from '../../shared/index.ts';
import { newId, tables, type Db } from '../../store/index.ts';
import {
  criteriaFields,
  type reasonInput,
  type reasonPatch,
  type reasonView,
  type stageInput,
  type stagePatch,
  type StageView,
} from './opportunity.schemas.ts';

const { opportunities, opportunityReasons, opportunityStages } = tables;

type ReasonView = z.infer<typeof reasonView>;
type StageRow = typeof opportunityStages.$inferSelect;

export function toStageView(r: StageRow): StageView {
  return {
    id: r.id,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    sort: r.sort,
    probability: r.probability,
    requiredFields: r.requiredFields.filter((f): f is (typeof criteriaFields)[number] =>
      (criteriaFields as readonly string[]).includes(f),
    ),
    outcome: r.outcome,
    active: r.active,
  };
}

export class StageService {
  constructor(private readonly db: Db) {}

  async stages(): Promise<StageView[]> {
    const rows = await this.db
      .select()
      .from(opportunityStages)
      .orderBy(asc(opportunityStages.sort), asc(opportunityStages.id));
    return rows.map(toStageView);
  }

  async stage(id: string): Promise<StageView | null> {
    const [row] = await this.db.select().from(opportunityStages).where(eq(opportunityStages.id, id));
    return row ? toStageView(row) : null;
  }

  async createStage(input: z.infer<typeof stageInput>): Promise<StageView> {
    const id = input.id ?? newId('stg');
    if (await this.stage(id)) throw new AppError('conflict', `stage ${id} exists`);
    await this.db.insert(opportunityStages).values({ ...input, id });
    return (await this.stage(id))!;
  }

  async updateStage(id: string, patch: z.infer<typeof stagePatch>): Promise<StageView> {
    if (!(await this.stage(id))) throw notFound(`stage ${id}`);
    await this.db.update(opportunityStages).set(patch).where(eq(opportunityStages.id, id));
    return (await this.stage(id))!;
  }

  /** A stage still holding deals is deactivated instead (409), so no deal loses its stage. */
  async deleteStage(id: string): Promise<void> {
    if (!(await this.stage(id))) throw notFound(`stage ${id}`);
    const [used] = await this.db
      .select({ id: opportunities.id })
      .from(opportunities)
      .where(eq(opportunities.stageId, id))
      .limit(1);
    if (used) throw new AppError('conflict', 'the stage holds opportunities; deactivate it instead');
    await this.db.delete(opportunityStages).where(eq(opportunityStages.id, id));
  }

  async reasons(): Promise<ReasonView[]> {
    return this.db
      .select()
      .from(opportunityReasons)
      .orderBy(asc(opportunityReasons.outcome), asc(opportunityReasons.sort));
  }

  async reason(id: string): Promise<ReasonView | null> {
    const [row] = await this.db.select().from(opportunityReasons).where(eq(opportunityReasons.id, id));
    return row ?? null;
  }

  async createReason(input: z.infer<typeof reasonInput>): Promise<ReasonView> {
    const id = newId('rsn');
    await this.db.insert(opportunityReasons).values({ ...input, id });
    return (await this.reason(id))!;
  }

  async updateReason(id: string, patch: z.infer<typeof reasonPatch>): Promise<ReasonView> {
    if (!(await this.reason(id))) throw notFound(`reason ${id}`);
    await this.db.update(opportunityReasons).set(patch).where(eq(opportunityReasons.id, id));
    return (await this.reason(id))!;
  }
}

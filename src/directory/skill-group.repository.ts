import { eq, inArray } from 'drizzle-orm';
import { AppError, type FieldError } from '../shared/index.ts';
import { newId, tables, type Db } from '../store/index.ts';
import {
  skillGroupInput,
  type SkillGroupConfig,
  type SkillGroupInput,
  type SkillGroupView,
} from './skill-group.schemas.ts';

const { skillGroups, agentGroups, agents, users } = tables;

function validationError(fields: FieldError[]): AppError {
  return new AppError('validation', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}

/** Persistence of skill groups and memberships; every write is one transaction. */
export class SkillGroupRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<SkillGroupView[]> {
    const groups = await this.db.select().from(skillGroups).orderBy(skillGroups.name);
    const members = await this.db
      .select({
        groupId: agentGroups.groupId,
        agentId: agentGroups.agentId,
        level: agentGroups.level,
        schedule: agentGroups.schedule,
        extension: agents.extension,
        displayName: users.displayName,
      })
      .from(agentGroups)
      .innerJoin(agents, eq(agents.id, agentGroups.agentId))
      .innerJoin(users, eq(users.id, agents.userId))
      .orderBy(agentGroups.level, agents.extension);
    return groups.map((g) => ({
      name: g.name,
      displayName: g.displayName,
      strategy: g.strategy as SkillGroupView['strategy'],
      weight: g.weight,
      wrapUpSeconds: g.wrapUpSeconds,
      ringTimeoutSeconds: g.ringTimeoutSeconds,
      slSeconds: g.slSeconds,
      shortAbandonSeconds: g.shortAbandonSeconds,
      maxQueue: g.maxQueue,
      overflow: g.overflow as SkillGroupView['overflow'],
      escalation: g.escalation as SkillGroupView['escalation'],
      members: members
        .filter((m) => m.groupId === g.id)
        .map((m) => ({
          agentId: m.agentId,
          extension: m.extension,
          displayName: m.displayName,
          level: m.level,
          schedule: (m.schedule as SkillGroupView['members'][number]['schedule']) ?? null,
        })),
    }));
  }

  async get(name: string): Promise<SkillGroupView | null> {
    return (await this.list()).find((g) => g.name === name) ?? null;
  }

  /** Create (`mode: 'create'`, 409 when it exists) or replace (`'replace'`, 404 when missing). */
  async save(input: SkillGroupInput, mode: 'create' | 'replace'): Promise<SkillGroupView> {
    const parsed = skillGroupInput.safeParse(input);
    if (!parsed.success) {
      throw validationError(
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      );
    }
    const config: SkillGroupConfig = parsed.data;
    await this.checkReferences(config);
    await this.db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: skillGroups.id })
        .from(skillGroups)
        .where(eq(skillGroups.name, config.name));
      if (mode === 'create' && existing)
        throw new AppError('conflict', `skill group "${config.name}" already exists`);
      if (mode === 'replace' && !existing)
        throw new AppError('not_found', `skill group "${config.name}" not found`);
      const values = {
        displayName: config.displayName,
        strategy: config.strategy,
        weight: config.weight,
        wrapUpSeconds: config.wrapUpSeconds,
        ringTimeoutSeconds: config.ringTimeoutSeconds,
        slSeconds: config.slSeconds,
        shortAbandonSeconds: config.shortAbandonSeconds,
        maxQueue: config.maxQueue,
        overflow: config.overflow,
        escalation: config.escalation,
        updatedAt: new Date(),
      };
      const id = existing?.id ?? newId('grp');
      if (existing) await tx.update(skillGroups).set(values).where(eq(skillGroups.id, id));
      else await tx.insert(skillGroups).values({ id, name: config.name, ...values });
      await tx.delete(agentGroups).where(eq(agentGroups.groupId, id));
      if (config.members.length > 0) {
        await tx.insert(agentGroups).values(
          config.members.map((m) => ({
            agentId: m.agentId,
            groupId: id,
            level: m.level,
            schedule: m.schedule,
          })),
        );
      }
    });
    const saved = await this.get(config.name);
    if (!saved) throw new Error(`skill group ${config.name} vanished after save`);
    return saved;
  }

  async remove(name: string): Promise<void> {
    const others = (await this.list()).filter((g) => g.overflow.some((r) => r.to === name));
    if (others.length > 0) {
      throw new AppError(
        'conflict',
        `skill group "${name}" is an overflow target of ${others.map((g) => g.name).join(', ')}`,
      );
    }
    const deleted = await this.db
      .delete(skillGroups)
      .where(eq(skillGroups.name, name))
      .returning({ id: skillGroups.id });
    if (deleted.length === 0) throw new AppError('not_found', `skill group "${name}" not found`);
  }

  private async checkReferences(config: SkillGroupConfig): Promise<void> {
    const fields: FieldError[] = [];
    const ids = [...new Set(config.members.map((m) => m.agentId))];
    const known = ids.length
      ? new Set(
          (await this.db.select({ id: agents.id }).from(agents).where(inArray(agents.id, ids))).map(
            (a) => a.id,
          ),
        )
      : new Set<string>();
    const seen = new Set<string>();
    config.members.forEach((m, i) => {
      if (!known.has(m.agentId))
        fields.push({ field: `members.${i}.agentId`, message: `unknown agent ${m.agentId}` });
      else if (seen.has(m.agentId)) fields.push({ field: `members.${i}.agentId`, message: 'listed twice' });
      seen.add(m.agentId);
    });
    const groupNames = new Set(
      (await this.db.select({ name: skillGroups.name }).from(skillGroups)).map((g) => g.name),
    );
    config.overflow.forEach((r, i) => {
      if (r.to === config.name)
        fields.push({ field: `overflow.${i}.to`, message: 'a group cannot overflow to itself' });
      else if (!groupNames.has(r.to))
        fields.push({ field: `overflow.${i}.to`, message: `unknown group ${r.to}` });
    });
    if (fields.length > 0) throw validationError(fields);
  }
}

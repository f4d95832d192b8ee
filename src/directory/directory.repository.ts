/**
 * The organisation as the switch and the ACD need it: users, agents with their extensions and SIP
 * secrets, skill groups with per-agent levels (ACD-02), and service numbers mapped to IVR flows.
 */
import { and, eq, gt } from 'drizzle-orm';
import { flowDocument as flowSchema, type FlowDocument } from '../ivr/index.ts';
import { tables, type Db } from '../store/index.ts';
import type { ScheduleWindow } from './skill-group.schemas.ts';

const {
  users,
  agents,
  sessions,
  skillGroups,
  agentGroups,
  serviceNumbers,
  ivrFlows,
  ivrFlowVersions,
  holidays,
} = tables;

/** sales_manager and sales are CRM roles (issue #6); their data reach is set by role data scopes. */
export type Role = 'admin' | 'supervisor' | 'agent' | 'sales_manager' | 'sales';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  active: boolean;
}

export interface AgentRecord {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  /** The user's role: supervisors' phones may use the supervision feature codes. */
  role: Role;
  extension: string;
  groups: { name: string; level: number; schedule: ScheduleWindow[] | null }[];
  /** ACD-08 open items allowed per channel; null = engine defaults. */
  capacity: Partial<Record<'voice' | 'chat' | 'email' | 'sms' | 'task', number>> | null;
}

export interface SkillGroupRecord {
  id: string;
  name: string;
  displayName: string;
  strategy: string;
  wrapUpSeconds: number;
  ringTimeoutSeconds: number;
  weight: number;
  slSeconds: number;
  shortAbandonSeconds: number;
  maxQueue: number | null;
  overflow: unknown;
  escalation: unknown;
}

export class DirectoryRepository {
  constructor(private readonly db: Db) {}

  async userByUsername(username: string): Promise<UserRecord | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username)).limit(1);
    return row ?? null;
  }

  async userBySession(tokenHash: string, now: Date): Promise<UserRecord | null> {
    const [row] = await this.db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
      .limit(1);
    return row?.user ?? null;
  }

  async createSession(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
    await this.db.insert(sessions).values({ tokenHash, userId, expiresAt });
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  }

  async countUsers(): Promise<number> {
    const rows = await this.db.select({ id: users.id }).from(users).limit(1);
    return rows.length;
  }

  async sipPassword(extension: string): Promise<string | null> {
    const [row] = await this.db
      .select({ secret: agents.sipPassword, active: users.active })
      .from(agents)
      .innerJoin(users, eq(users.id, agents.userId))
      .where(eq(agents.extension, extension))
      .limit(1);
    return row && row.active ? row.secret : null;
  }

  async agents(): Promise<AgentRecord[]> {
    const rows = await this.db
      .select({
        id: agents.id,
        userId: agents.userId,
        username: users.username,
        displayName: users.displayName,
        role: users.role,
        extension: agents.extension,
        capacity: agents.capacity,
      })
      .from(agents)
      .innerJoin(users, eq(users.id, agents.userId))
      .where(eq(users.active, true))
      .orderBy(agents.extension);
    const memberships = await this.db
      .select({
        agentId: agentGroups.agentId,
        name: skillGroups.name,
        level: agentGroups.level,
        schedule: agentGroups.schedule,
      })
      .from(agentGroups)
      .innerJoin(skillGroups, eq(skillGroups.id, agentGroups.groupId));
    return rows.map((r) => ({
      ...r,
      capacity: (r.capacity as AgentRecord['capacity']) ?? null,
      groups: memberships
        .filter((m) => m.agentId === r.id)
        .map((m) => ({
          name: m.name,
          level: m.level,
          schedule: (m.schedule as ScheduleWindow[] | null) ?? null,
        })),
    }));
  }

  /** Replace an agent's channel capacity (ACD-08); false when there is no such agent. */
  async setAgentCapacity(agentId: string, capacity: AgentRecord['capacity']): Promise<boolean> {
    const rows = await this.db
      .update(agents)
      .set({ capacity })
      .where(eq(agents.id, agentId))
      .returning({ id: agents.id });
    return rows.length > 0;
  }

  async skillGroups(): Promise<SkillGroupRecord[]> {
    return this.db.select().from(skillGroups).orderBy(skillGroups.name);
  }

  /** The company's service numbers (DNIS), e.g. to pick the caller ID of an outbound call. */
  async serviceNumbers(): Promise<{ number: string; name: string }[]> {
    return this.db
      .select({ number: serviceNumbers.number, name: serviceNumbers.name })
      .from(serviceNumbers)
      .orderBy(serviceNumbers.number);
  }

  /**
   * The service number and the PUBLISHED version of its flow (issue #5), read at each call's start:
   * publishing a version reaches the next call without a restart, while calls in progress keep
   * the document they started with. No published version: null, as for an unknown number.
   */
  async serviceNumber(dnis: string): Promise<{
    number: string;
    name: string;
    flow: unknown;
    flowId: string;
    flowVersion: number;
  } | null> {
    const [row] = await this.db
      .select({
        number: serviceNumbers.number,
        name: serviceNumbers.name,
        flow: ivrFlowVersions.document,
        flowId: ivrFlows.id,
        flowVersion: ivrFlowVersions.version,
      })
      .from(serviceNumbers)
      .innerJoin(ivrFlows, eq(ivrFlows.id, serviceNumbers.flowId))
      .innerJoin(
        ivrFlowVersions,
        and(eq(ivrFlowVersions.flowId, ivrFlows.id), eq(ivrFlowVersions.version, ivrFlows.publishedVersion)),
      )
      .where(eq(serviceNumbers.number, dnis))
      .limit(1);
    return row ?? null;
  }

  /** The company holiday calendar (ACD-03) as local dates, for the IVR's business hours (IVR-06). */
  async holidayDates(): Promise<string[]> {
    const rows = await this.db.select({ date: holidays.date }).from(holidays);
    return rows.map((r) => r.date);
  }

  /**
   * The IVR flow `id` as calls run it (CC-02: an agent transfers a caller to it): its name and
   * its parsed document; null when there is no such flow or its document is not valid. The one
   * place that reads a flow for a transfer, so it can follow flow versions (e.g. the published one).
   */
  async flowDocument(id: string): Promise<{ name: string; document: FlowDocument } | null> {
    const [row] = await this.db
      .select({ name: ivrFlows.name, document: ivrFlows.document })
      .from(ivrFlows)
      .where(eq(ivrFlows.id, id))
      .limit(1);
    const parsed = row ? flowSchema.safeParse(row.document) : null;
    return row && parsed?.success ? { name: row.name, document: parsed.data } : null;
  }
}

/**
 * Persistence of IVR flows as versions (IVR-05, issue #5). A version is immutable once written; a
 * flow's `published_version` says which one its service numbers run. Writing a version and
 * publishing are separate steps, so an administrator can prepare a change and make it live later,
 * or publish an earlier version to roll back.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { newId, tables, type Db } from '../store/index.ts';

const { ivrFlows, ivrFlowVersions, serviceNumbers, users } = tables;

export interface FlowVersionSummary {
  version: number;
  createdAt: string;
  createdBy: string | null;
  createdByName: string | null;
  /** When this version was last made live; null if it never was. */
  publishedAt: string | null;
  /** The version service numbers run now. */
  published: boolean;
}

export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  latestVersion: number;
  versionCount: number;
  versions: FlowVersionSummary[];
  /** Service numbers (DNIS) that run this flow. */
  serviceNumbers: string[];
  createdAt: string;
  updatedAt: string;
}

export interface FlowDetail extends Omit<FlowSummary, 'versions'> {
  versions: (FlowVersionSummary & { document: unknown })[];
}

export interface PublishResult {
  id: string;
  name: string;
  publishedVersion: number;
  previousVersion: number | null;
}

export class IvrFlowRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<FlowSummary[]> {
    const flows = await this.db.select().from(ivrFlows).orderBy(asc(ivrFlows.name), asc(ivrFlows.id));
    return this.withVersions(flows, false);
  }

  async get(id: string): Promise<FlowDetail | null> {
    const flows = await this.db.select().from(ivrFlows).where(eq(ivrFlows.id, id));
    const [flow] = await this.withVersions(flows, true);
    return (flow as FlowDetail | undefined) ?? null;
  }

  /** One version's document; the latest when `version` is omitted. Null when there is none. */
  async version(id: string, version?: number): Promise<{ version: number; document: unknown } | null> {
    const [row] = await this.db
      .select({ version: ivrFlowVersions.version, document: ivrFlowVersions.document })
      .from(ivrFlowVersions)
      .where(
        version === undefined
          ? eq(ivrFlowVersions.flowId, id)
          : and(eq(ivrFlowVersions.flowId, id), eq(ivrFlowVersions.version, version)),
      )
      .orderBy(desc(ivrFlowVersions.version))
      .limit(1);
    return row ?? null;
  }

  /** The document service numbers run for flow `id`, or null when none is published. */
  async publishedDocument(id: string): Promise<{ version: number; document: unknown } | null> {
    const [row] = await this.db
      .select({ version: ivrFlowVersions.version, document: ivrFlowVersions.document })
      .from(ivrFlows)
      .innerJoin(
        ivrFlowVersions,
        and(eq(ivrFlowVersions.flowId, ivrFlows.id), eq(ivrFlowVersions.version, ivrFlows.publishedVersion)),
      )
      .where(eq(ivrFlows.id, id))
      .limit(1);
    return row ?? null;
  }

  /**
   * Store a (validated) document as the next version of flow `id`, or as version 1 of a new flow
   * when `id` is null. Null when `id` names no flow. The row lock of the version bump keeps two
   * concurrent writers from taking the same number.
   */
  async createVersion(
    id: string | null,
    name: string,
    document: unknown,
    userId: string | null,
  ): Promise<{ id: string; version: number } | null> {
    return this.db.transaction(async (tx) => {
      let flowId: string;
      let version: number;
      if (id === null) {
        flowId = newId('ivf');
        version = 1;
        await tx
          .insert(ivrFlows)
          .values({ id: flowId, name, version, document: null, publishedVersion: null });
      } else {
        const [bumped] = await tx
          .update(ivrFlows)
          .set({ version: sql`${ivrFlows.version} + 1`, name, updatedAt: new Date() })
          .where(eq(ivrFlows.id, id))
          .returning({ version: ivrFlows.version });
        if (!bumped) return null;
        flowId = id;
        version = bumped.version;
      }
      await tx.insert(ivrFlowVersions).values({ flowId, version, document, createdBy: userId });
      return { id: flowId, version };
    });
  }

  /**
   * Make `version` the one service numbers run (the next call uses it; calls in progress keep
   * theirs). Null when the flow or the version does not exist.
   */
  async publish(id: string, version: number): Promise<PublishResult | null> {
    return this.db.transaction(async (tx) => {
      const [flow] = await tx
        .select({ name: ivrFlows.name, publishedVersion: ivrFlows.publishedVersion })
        .from(ivrFlows)
        .where(eq(ivrFlows.id, id))
        .for('update');
      if (!flow) return null;
      const now = new Date();
      const [row] = await tx
        .update(ivrFlowVersions)
        .set({ publishedAt: now })
        .where(and(eq(ivrFlowVersions.flowId, id), eq(ivrFlowVersions.version, version)))
        .returning({ document: ivrFlowVersions.document });
      if (!row) return null;
      await tx
        .update(ivrFlows)
        .set({ publishedVersion: version, document: row.document, updatedAt: now })
        .where(eq(ivrFlows.id, id));
      return { id, name: flow.name, publishedVersion: version, previousVersion: flow.publishedVersion };
    });
  }

  private async withVersions(
    flows: (typeof ivrFlows.$inferSelect)[],
    documents: boolean,
  ): Promise<(FlowSummary | FlowDetail)[]> {
    if (flows.length === 0) return [];
    const ids = flows.map((f) => f.id);
    const versions = await this.db
      .select({
        flowId: ivrFlowVersions.flowId,
        version: ivrFlowVersions.version,
        createdAt: ivrFlowVersions.createdAt,
        createdBy: ivrFlowVersions.createdBy,
        createdByName: users.displayName,
        publishedAt: ivrFlowVersions.publishedAt,
        document: ivrFlowVersions.document,
      })
      .from(ivrFlowVersions)
      .leftJoin(users, eq(users.id, ivrFlowVersions.createdBy))
      .where(inArray(ivrFlowVersions.flowId, ids))
      .orderBy(desc(ivrFlowVersions.version));
    const numbers = await this.db
      .select({ flowId: serviceNumbers.flowId, number: serviceNumbers.number })
      .from(serviceNumbers)
      .where(inArray(serviceNumbers.flowId, ids))
      .orderBy(asc(serviceNumbers.number));
    return flows.map((f) => {
      const own = versions.filter((v) => v.flowId === f.id);
      return {
        id: f.id,
        name: f.name,
        publishedVersion: f.publishedVersion,
        latestVersion: f.version,
        versionCount: own.length,
        versions: own.map(({ flowId: _flowId, document, ...v }) => ({
          ...v,
          ...(documents ? { document } : {}),
          createdAt: v.createdAt.toISOString(),
          publishedAt: v.publishedAt?.toISOString() ?? null,
          published: v.version === f.publishedVersion,
        })),
        serviceNumbers: numbers.filter((n) => n.flowId === f.id).map((n) => n.number),
        createdAt: f.createdAt.toISOString(),
        updatedAt: f.updatedAt.toISOString(),
      };
    });
  }
}

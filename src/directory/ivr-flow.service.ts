/**
 * IVR flows as administrators manage them (IVR-05, issue #5): validate a document (schema, graph,
 * and the references only the database can answer — skill groups), store it as a new version, and
 * publish a version. Publishing checks the version again against today's groups, so a rollback
 * cannot make live a flow whose queue was deleted since.
 */
import { validateFlow, type FlowError, type FlowValidation } from '../ivr/index.ts';
import type { IvrFlowRepository, PublishResult } from './ivr-flow.repository.ts';

export type FlowWrite<T> = { ok: true; value: T } | { ok: false; errors: FlowError[] } | { ok: 'not_found' };

export interface IvrFlowServiceOptions {
  repository: IvrFlowRepository;
  /** The skill groups a queue node may name, read at each validation. */
  groupNames(): Promise<string[]>;
}

export class IvrFlowService {
  constructor(private readonly o: IvrFlowServiceOptions) {}

  get repository(): IvrFlowRepository {
    return this.o.repository;
  }

  async validate(document: unknown): Promise<FlowValidation> {
    return validateFlow(document, { groups: new Set(await this.o.groupNames()) });
  }

  /** A new version of flow `id`, or version 1 of a new flow when `id` is null. Not published. */
  async create(
    id: string | null,
    document: unknown,
    userId: string | null,
  ): Promise<FlowWrite<{ id: string; name: string; version: number }>> {
    const checked = await this.validate(document);
    if (!checked.flow) return { ok: false, errors: checked.errors };
    const saved = await this.o.repository.createVersion(id, checked.flow.name, checked.flow, userId);
    if (!saved) return { ok: 'not_found' };
    return { ok: true, value: { ...saved, name: checked.flow.name } };
  }

  /** Make `version` (default: the latest) live for the flow's service numbers. */
  async publish(id: string, version?: number): Promise<FlowWrite<PublishResult>> {
    const stored = await this.o.repository.version(id, version);
    if (!stored) return { ok: 'not_found' };
    const checked = await this.validate(stored.document);
    if (!checked.flow) return { ok: false, errors: checked.errors };
    const published = await this.o.repository.publish(id, stored.version);
    return published ? { ok: true, value: published } : { ok: 'not_found' };
  }
}

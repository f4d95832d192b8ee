/**
 * Customer import (issue #6): CSV or .xlsx in, `{created, updated, skipped, errors: [{line,
 * message}]}` out, the same for the CLI, the API and the UI. Rows are validated one by one (bad
 * rows are reported by line and never stop the good ones), duplicates follow the chosen policy,
 * and every batch can be undone as a whole.
 */
import { AppError, notFound } from '../../shared/index.ts';
import { tables, type Db } from '../../store/index.ts';
import { eq } from 'drizzle-orm';
import { DataScopes, systemActor, type Actor } from '../scopes/data-scopes.ts';
import { mapColumns } from './headers.ts';
import { parseImportRow, type ImportRecord } from './import-row.ts';
import { planImport, type DuplicatePolicy, type Plan } from './import-plan.ts';
import { ImportRepository, type BatchRow } from './import.repository.ts';
import { readTable } from './read-table.ts';

export interface ImportOptions {
  fileName: string;
  policy?: DuplicatePolicy;
  dryRun?: boolean;
  /** Header text → field, for headers that are not recognised. */
  mapping?: Record<string, string>;
  actor?: Actor;
  /** Who the batch is recorded for (the CLI on the database has no user). */
  username?: string | null;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  done: number;
  total: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
  errors: { line: number; message: string }[];
  batchId: string | null;
  dryRun: boolean;
  totalRows: number;
  /** Dry run: what the first rows would do. */
  preview?: Plan['outcomes'];
}

export interface BatchView {
  id: string;
  fileName: string;
  policy: DuplicatePolicy;
  status: BatchRow['status'];
  username: string | null;
  totalRows: number;
  created: number;
  updated: number;
  skipped: number;
  errors: { line: number; message: string }[];
  errorCount: number;
  createdAt: string;
  finishedAt: string | null;
  undoneAt: string | null;
}

export class CustomerImportService {
  private readonly repo: ImportRepository;
  private readonly scopes: DataScopes;

  constructor(private readonly db: Db) {
    this.repo = new ImportRepository(db);
    this.scopes = new DataScopes(db);
  }

  async importFile(bytes: Buffer, options: ImportOptions): Promise<ImportResult> {
    const policy = options.policy ?? 'skip';
    const actor = options.actor ?? systemActor;
    const progress = options.onProgress ?? (() => {});
    progress({ phase: 'reading', done: 0, total: 0 });
    const rows = await readTable(options.fileName, bytes);
    const [header, ...body] = rows;
    if (!header || header.line !== 1)
      throw new AppError('validation', 'file: line 1 must be the header row', [
        { field: 'file', message: 'line 1 must be the header row' },
      ]);
    const columns = mapColumns(header.cells, options.mapping);
    const errors: { line: number; message: string }[] = [];
    const records: ImportRecord[] = [];
    for (const row of body) {
      const parsed = parseImportRow(row.line, row.cells, columns);
      if ('error' in parsed) errors.push({ line: row.line, message: parsed.error });
      else records.push(parsed.record);
    }
    progress({ phase: 'checking', done: 0, total: body.length });
    const editScope = await this.scopes.customerCondition(actor, 'edit');
    const existing = await this.repo.findExisting(records, editScope);
    const plan = planImport(records, existing, policy);
    const allErrors = [...errors, ...plan.errors].sort((a, b) => a.line - b.line);
    const result: ImportResult = {
      created: plan.creates.length,
      updated: plan.updated,
      skipped: plan.skipped,
      errors: allErrors,
      batchId: null,
      dryRun: options.dryRun ?? false,
      totalRows: body.length,
    };
    if (options.dryRun) return { ...result, preview: plan.outcomes.slice(0, 100) };
    const owner = await this.ownerOf(actor);
    const batchId = await this.repo.createBatch({
      userId: owner.userId,
      username: options.username ?? null,
      fileName: options.fileName,
      policy,
      totalRows: body.length,
    });
    const toWrite = plan.creates.length + plan.updates.size;
    try {
      await this.repo.apply(batchId, plan, owner, (done) =>
        progress({ phase: 'writing', done, total: toWrite }),
      );
    } catch (err) {
      await this.repo.finishBatch(batchId, {
        status: 'failed',
        created: 0,
        updated: 0,
        skipped: 0,
        errors: [],
      });
      throw err;
    }
    await this.repo.finishBatch(batchId, { status: 'completed', ...result });
    progress({ phase: 'done', done: toWrite, total: toWrite });
    return { ...result, batchId };
  }

  private async ownerOf(actor: Actor): Promise<{ userId: string | null; departmentId: string | null }> {
    if ('system' in actor) return { userId: null, departmentId: null };
    const [row] = await this.db
      .select({ departmentId: tables.users.departmentId })
      .from(tables.users)
      .where(eq(tables.users.id, actor.id));
    return { userId: actor.id, departmentId: row?.departmentId ?? null };
  }

  /** A batch, if `actor` ran it or may see every customer. */
  async batch(id: string, actor: Actor = systemActor): Promise<BatchView> {
    const row = await this.repo.batch(id);
    if (!row || !(await this.mayManage(row, actor))) throw notFound(`import ${id}`);
    return toView(row);
  }

  async undo(id: string, actor: Actor = systemActor): Promise<BatchView> {
    const row = await this.repo.batch(id);
    if (!row || !(await this.mayManage(row, actor))) throw notFound(`import ${id}`);
    if (row.status !== 'completed')
      throw new AppError(
        'invalid_state',
        `import ${id} is ${row.status}; only a completed import can be undone`,
      );
    await this.repo.undo(id, 'system' in actor ? null : actor.id);
    return this.batch(id, systemActor);
  }

  private async mayManage(row: BatchRow, actor: Actor): Promise<boolean> {
    if ('system' in actor || row.userId === actor.id) return true;
    return (await this.scopes.scopeOf(actor.role, 'customer', 'edit')) === 'all';
  }
}

function toView(row: BatchRow): BatchView {
  return {
    id: row.id,
    fileName: row.fileName,
    policy: row.policy,
    status: row.status,
    username: row.username,
    totalRows: row.totalRows,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    errors: row.errors as { line: number; message: string }[],
    errorCount: row.errorCount,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    undoneAt: row.undoneAt?.toISOString() ?? null,
  };
}

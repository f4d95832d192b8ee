/**
 * Documents under customers and opportunities (CRM-06): upload, versions, download and preview,
 * soft delete. Every access goes through the owning customer's data scope, so a document of a
 * customer outside the caller's scope answers not_found like the customer itself.
 */
import { AppError, invalid, notFound } from '../../shared/index.ts';
import { tables, type Db } from '../../store/index.ts';
import { DataScopes, type Actor } from '../scopes/data-scopes.ts';
import type { ScopeAction } from '../scopes/default-scopes.ts';
import { TimelineService } from '../timeline/index.ts';
import { DocumentRepository, type DocumentRow, type VersionRow } from './document.repository.ts';
import {
  MAX_DOCUMENT_BYTES,
  type DocumentQuery,
  type DocumentVersionView,
  type DocumentView,
  type NewDocumentFields,
  type UploadedDocumentFile,
} from './document.schemas.ts';
import { DocumentStore } from './document-store.ts';
import { sniffMime } from './mime-sniff.ts';

const userOf = (actor: Actor) => ('system' in actor ? null : actor.id);

function versionView(v: VersionRow): DocumentVersionView {
  const previewable = v.mime === 'application/pdf' ? 'pdf' : v.mime.startsWith('image/') ? 'image' : null;
  return {
    version: v.version,
    fileName: v.fileName,
    mime: v.mime,
    size: v.size,
    sha256: v.sha256,
    previewable,
    uploadedBy: v.uploadedByName,
    createdAt: v.createdAt.toISOString(),
  };
}

function documentView(row: DocumentRow, versions: VersionRow[], all: boolean): DocumentView {
  const latest = versions.find((v) => v.version === row.currentVersion) ?? versions[0]!;
  return {
    id: row.id,
    customerId: row.customerId,
    customerName: row.customerName,
    opportunityId: row.opportunityId,
    kind: row.kind,
    title: row.title,
    currentVersion: row.currentVersion,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    latest: versionView(latest),
    ...(all ? { versions: versions.map(versionView) } : {}),
  };
}

/** Checks the bytes and names the field the client sent them in. */
function checkedFile(file: UploadedDocumentFile): { fileName: string; mime: string; size: number } {
  if (file.bytes.length > MAX_DOCUMENT_BYTES)
    throw new AppError('validation', `file: larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`, [
      { field: 'file', message: 'too large' },
    ]);
  const sniffed = sniffMime(file.bytes);
  if (!sniffed)
    throw new AppError('validation', 'file: not a document type we accept (PDF, image, Office, text)', [
      { field: 'file', message: 'unsupported or executable content' },
    ]);
  const fileName = file.fileName.replace(/[\\/\r\n"]/g, '_').slice(0, 255) || 'document';
  return { fileName, mime: sniffed.mime, size: file.bytes.length };
}

export class DocumentService {
  private readonly repo: DocumentRepository;
  private readonly scopes: DataScopes;
  private readonly timeline: TimelineService;
  private readonly store: DocumentStore;

  constructor(db: Db, filesDir: string) {
    this.repo = new DocumentRepository(db);
    this.scopes = new DataScopes(db);
    this.timeline = new TimelineService(db);
    this.store = new DocumentStore(filesDir);
  }

  /** The `document` data scope, applied through the owner of the document's customer. */
  private scope(actor: Actor, action: ScopeAction) {
    return this.scopes.ownedCondition(actor, 'document', action, tables.customers.ownerUserId);
  }

  private async row(id: string, actor: Actor, action: ScopeAction): Promise<DocumentRow> {
    const row = await this.repo.get(id, await this.scope(actor, action));
    if (!row) throw notFound(`document ${id}`);
    return row;
  }

  async page(query: DocumentQuery, actor: Actor): Promise<{ items: DocumentView[]; total: number }> {
    const { rows, total } = await this.repo.page(await this.scope(actor, 'view'), query);
    const versions = await this.repo.versions(
      rows.map((r) => r.id),
      true,
    );
    const byDoc = new Map(versions.map((v) => [v.documentId, v]));
    return { total, items: rows.map((r) => documentView(r, [byDoc.get(r.id)!], false)) };
  }

  async get(id: string, actor: Actor): Promise<DocumentView> {
    const row = await this.row(id, actor, 'view');
    return documentView(row, await this.repo.versions([id], false), true);
  }

  /** The customer a new document goes under: the one named, or the opportunity's. */
  private async customerOf(fields: NewDocumentFields): Promise<string> {
    if (!fields.opportunityId) {
      if (!fields.customerId) throw invalid('customerId', 'required (or opportunityId)');
      return fields.customerId;
    }
    const owner = await this.repo.opportunityCustomer(fields.opportunityId);
    if (!owner) throw invalid('opportunityId', 'no such opportunity');
    if (fields.customerId && fields.customerId !== owner)
      throw invalid('opportunityId', 'belongs to another customer');
    return owner;
  }

  /** A new document under a customer (and optionally its opportunity) the caller may edit. */
  async upload(fields: NewDocumentFields, file: UploadedDocumentFile, actor: Actor): Promise<DocumentView> {
    const customerId = await this.customerOf(fields);
    if (!(await this.repo.customerInScope(customerId, await this.scope(actor, 'edit'))))
      throw new AppError('validation', 'customerId: no such customer in your data scope', [
        { field: 'customerId', message: 'not found' },
      ]);
    const checked = checkedFile(file);
    const sha256 = await this.store.put(file.bytes);
    const title = fields.title ?? checked.fileName;
    const id = await this.repo.create({
      customerId,
      opportunityId: fields.opportunityId ?? null,
      kind: fields.kind,
      title,
      userId: userOf(actor),
      file: { ...checked, sha256 },
    });
    await this.timeline.append({
      customerId,
      kind: 'document',
      refId: id,
      title: `文档上传 ${title}`,
      detail: { action: 'uploaded', kind: fields.kind, version: 1, fileName: checked.fileName },
    });
    return this.get(id, actor);
  }

  async addVersion(id: string, file: UploadedDocumentFile, actor: Actor): Promise<DocumentView> {
    const row = await this.row(id, actor, 'edit');
    const checked = checkedFile(file);
    const sha256 = await this.store.put(file.bytes);
    const version = await this.repo.addVersion(id, userOf(actor), { ...checked, sha256 });
    await this.timeline.append({
      customerId: row.customerId,
      kind: 'document',
      refId: id,
      title: `文档新版本 ${row.title} v${version}`,
      detail: { action: 'version', kind: row.kind, version, fileName: checked.fileName },
    });
    return this.get(id, actor);
  }

  private async version(id: string, version: number | 'current', actor: Actor) {
    const row = await this.row(id, actor, 'view');
    const wanted = version === 'current' ? row.currentVersion : version;
    const found = (await this.repo.versions([id], false)).find((v) => v.version === wanted);
    if (!found) throw notFound(`version ${wanted} of document ${id}`);
    return found;
  }

  async file(id: string, version: number | 'current', actor: Actor) {
    const v = await this.version(id, version, actor);
    return { fileName: v.fileName, mime: v.mime, bytes: await this.store.get(v.sha256) };
  }

  /** An image as itself, a PDF page as PNG; other types have no preview. */
  async preview(id: string, version: number | 'current', page: number, actor: Actor) {
    const v = await this.version(id, version, actor);
    if (v.mime.startsWith('image/')) return { mime: v.mime, bytes: await this.store.get(v.sha256) };
    if (v.mime === 'application/pdf')
      return { mime: 'image/png', bytes: await this.store.pdfPage(v.sha256, page) };
    throw new AppError('validation', `version: a ${v.mime} file has no preview; download it`, [
      { field: 'version', message: 'not previewable' },
    ]);
  }

  async remove(id: string, actor: Actor): Promise<DocumentRow> {
    const row = await this.row(id, actor, 'delete');
    await this.repo.softDelete(id);
    await this.timeline.append({
      customerId: row.customerId,
      kind: 'document',
      refId: id,
      title: `文档删除 ${row.title}`,
      detail: { action: 'deleted', kind: row.kind },
    });
    return row;
  }
}

export { DocumentService } from './document.service.ts';
export {
  documentKinds,
  documentQuery,
  documentVersionView,
  documentView,
  MAX_DOCUMENT_BYTES,
  newDocumentFields,
} from './document.schemas.ts';
export type { DocumentQuery, DocumentView, NewDocumentFields } from './document.schemas.ts';
export { sniffMime } from './mime-sniff.ts';

/**
 * Customer export (issue #6) to CSV or .xlsx, within the caller's export scope and the list's
 * filters. The columns are the import's Chinese headers, so an exported file imports again as is;
 * one row per contact (a customer without contacts gets one row).
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { CustomerService } from '../customers/customer.service.ts';
import type { CustomerQuery, CustomerView } from '../customers/customer.schemas.ts';
import type { Actor } from '../scopes/data-scopes.ts';

export const exportHeaders = [
  '客户名称',
  '联系人',
  '职务',
  '手机',
  '邮箱',
  '地区',
  '行业',
  '客户等级',
  '客户类型',
  '阶段',
  '统一社会信用代码',
  '外部编号',
  '负责人',
];

/** An export is a deliberate bulk copy; beyond this the caller narrows the filter. */
export const MAX_EXPORT_ROWS = 100_000;
const PAGE = 200;

function rowsOf(c: CustomerView): string[][] {
  const tail = [
    c.region ?? '',
    c.industry ?? '',
    c.tier ?? '',
    c.relationshipType ?? '',
    c.lifecycleStage ?? '',
    c.creditCode ?? '',
    c.externalId ?? '',
    c.ownerName ?? '',
  ];
  const contacts = c.contacts.length > 0 ? c.contacts : [null];
  return contacts.map((k) => [
    c.name,
    k?.name ?? '',
    k?.title ?? '',
    (k?.phones ?? []).map((p) => p.display).join('; '),
    (k?.emails ?? []).join('; '),
    ...tail,
  ]);
}

export async function exportCustomers(
  customers: CustomerService,
  query: Omit<CustomerQuery, 'limit' | 'offset'>,
  actor: Actor,
  format: 'csv' | 'xlsx',
): Promise<{ bytes: Buffer; customers: number }> {
  const rows: string[][] = [];
  let count = 0;
  for (let offset = 0; offset < MAX_EXPORT_ROWS; offset += PAGE) {
    const page = await customers.page({ ...query, limit: PAGE, offset }, actor, 'export');
    for (const c of page.items) rows.push(...rowsOf(c));
    count += page.items.length;
    if (page.items.length < PAGE) break;
  }
  if (format === 'csv') {
    // The BOM makes Excel read the file as UTF-8 instead of the system code page.
    const text = `\uFEFF${Papa.unparse([exportHeaders, ...rows])}\r\n`;
    return { bytes: Buffer.from(text, 'utf8'), customers: count };
  }
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false });
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(exportHeaders).commit();
  for (const r of rows) sheet.addRow(r).commit();
  sheet.commit();
  await workbook.commit();
  return { bytes: Buffer.concat(chunks), customers: count };
}

/**
 * Reads an uploaded table, CSV or .xlsx, as rows of cell texts with the row's line number in the
 * file (header = line 1), so errors point where the user looks in Excel or an editor. Large
 * workbooks are read with ExcelJS's streaming reader; CSV in GBK (Excel's default on Chinese
 * Windows) is recognised when the bytes are not UTF-8.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { AppError } from '../../shared/index.ts';

export interface TableRow {
  line: number;
  cells: string[];
}

export type TableFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string, bytes: Buffer): TableFormat {
  // .xlsx is a zip archive: "PK\x03\x04".
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  if (/\.xlsx$/i.test(fileName)) throw new AppError('validation', 'file: not a valid .xlsx workbook');
  if (/\.xls$/i.test(fileName))
    throw new AppError('validation', 'file: .xls (Excel 97) is not supported; save as .xlsx or CSV');
  return 'csv';
}

export async function readTable(fileName: string, bytes: Buffer): Promise<TableRow[]> {
  return formatOf(fileName, bytes) === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsv(bytes: Buffer): TableRow[] {
  const text = decodeText(bytes);
  const rows: TableRow[] = [];
  // Line numbers come from the parser's cursor, so quoted fields spanning lines count correctly.
  let offset = 0;
  let line = 1;
  const lineAt = (position: number) => {
    for (; offset < position; offset++) if (text.charCodeAt(offset) === 10) line++;
    return line;
  };
  // The cursor is just past each row's line break, so the next row starts there.
  let rowStart = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result) => {
      const start = rowStart;
      rowStart = result.meta.cursor;
      const cells = result.data.map((c) => String(c ?? '').trim());
      if (cells.every((c) => c === '')) return;
      rows.push({ line: lineAt(start), cells });
    },
  });
  return rows;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(v.richText))
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
  }
  return String(value).trim();
}

async function readXlsx(bytes: Buffer): Promise<TableRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
  });
  const rows: TableRow[] = [];
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        const cells = Array.from(values, (v) => cellText(v));
        if (cells.every((c) => c === '')) continue;
        rows.push({ line: row.number, cells });
      }
      break; // the first worksheet only
    }
  } catch (err) {
    throw new AppError('validation', `file: cannot read the workbook (${(err as Error).message})`);
  }
  return rows;
}

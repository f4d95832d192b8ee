/**
 * Import of road conditions from a CSV or .xlsx sheet (IVR-02). The first line names the columns
 * (English or Chinese headers); every other line is one segment. Each line is checked on its own:
 * good lines are written (a segment already on the route is updated), bad ones are reported by
 * line number — the header is line 1 — and the field at fault, so staff can fix and re-import.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { z } from 'zod';
import { invalid } from '../shared/index.ts';
import { roadConditionInput, type RoadConditionRepository } from './road-conditions.repository.ts';
import { parseRoadStatus } from './road-status.ts';

export interface ImportError {
  line: number;
  field: string;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: ImportError[];
}

const headerNames: Record<string, string> = {
  route: 'route',
  线路: 'route',
  origin: 'origin',
  起点: 'origin',
  始发: 'origin',
  destination: 'destination',
  终点: 'destination',
  目的地: 'destination',
  segment: 'segment',
  路段: 'segment',
  position: 'position',
  顺序: 'position',
  status: 'status',
  状态: 'status',
  路况: 'status',
  note: 'note',
  备注: 'note',
  说明: 'note',
};
const required = ['origin', 'destination', 'segment', 'status'];

/** One sheet line: its number and its cells as text. */
interface SheetLine {
  line: number;
  cells: string[];
}

function csvLines(text: string): SheetLine[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  return parsed.data.map((cells, i) => ({ line: i + 1, cells: cells.map((c) => String(c ?? '')) }));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return String(value.result ?? '');
    return '';
  }
  return String(value);
}

async function xlsxLines(data: Buffer): Promise<SheetLine[]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw invalid('content', 'is not a readable .xlsx workbook');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw invalid('content', 'the workbook has no sheet');
  const lines: SheetLine[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    lines.push({ line: row.number, cells });
  });
  return lines;
}

export type SheetFormat = 'csv' | 'xlsx';

/** CSV or xlsx by the file name's extension (a .xlsx file is a zip: it starts with "PK"). */
export function formatOf(fileName: string, data: Buffer): SheetFormat {
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  if (/\.csv$/i.test(fileName) || /\.txt$/i.test(fileName)) return 'csv';
  return data.subarray(0, 2).toString('latin1') === 'PK' ? 'xlsx' : 'csv';
}

export async function readSheet(fileName: string, data: Buffer): Promise<SheetLine[]> {
  return formatOf(fileName, data) === 'xlsx' ? xlsxLines(data) : csvLines(data.toString('utf8'));
}

export async function importRoadConditions(
  repo: Pick<RoadConditionRepository, 'upsert'>,
  lines: SheetLine[],
  userId: string | null,
): Promise<ImportResult> {
  const [header, ...rows] = lines;
  if (!header) throw invalid('content', 'the sheet is empty');
  const columns = header.cells.map(
    (h) => headerNames[h.trim().toLowerCase()] ?? headerNames[h.trim()] ?? null,
  );
  const missing = required.filter((r) => !columns.includes(r));
  if (missing.length > 0) throw invalid('content', `line 1 lacks the column(s) ${missing.join(', ')}`);

  const result: ImportResult = { created: 0, updated: 0, errors: [] };
  for (const { line, cells } of rows) {
    if (cells.every((c) => c.trim() === '')) continue;
    const record: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      const cell = (cells[i] ?? '').trim();
      if (name && cell !== '') record[name] = cell;
    });
    if (typeof record.status === 'string') record.status = parseRoadStatus(record.status) ?? record.status;
    if (typeof record.position === 'string') record.position = Number(record.position);
    const parsed = roadConditionInput.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        result.errors.push({ line, field: String(issue.path[0] ?? 'row'), message: issueMessage(issue) });
      }
      continue;
    }
    try {
      const { created } = await repo.upsert(parsed.data, userId);
      if (created) result.created += 1;
      else result.updated += 1;
    } catch (err) {
      result.errors.push({ line, field: 'row', message: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && issue.path[0] === 'status')
    return 'must be one of normal, slow, congested, closed, weather, construction (or 畅通, 缓行, 拥堵, 封闭…)';
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

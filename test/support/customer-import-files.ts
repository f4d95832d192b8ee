/**
 * Import files for the customer import tests: a generated .xlsx of 10,000 rows with mixed phone
 * formats, Chinese names, in-file and stored duplicates and 20 deliberately bad rows, whose
 * expected outcome is computed alongside.
 */
import ExcelJS from 'exceljs';

const cities = ['上海', '北京', '广州', '深圳', '成都', '杭州', '武汉', '西安', '南京', '重庆'];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const given = ['伟', '芳', '娜', '敏', '静', '磊', '洋'];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The stored customers the big file collides with (one per duplicate kind). */
export const storedCustomers = {
  byPhone: { name: '既有甲物流有限公司', contacts: [{ name: '钱一', phones: ['13500000001'] }] },
  byEmail: { name: '既有乙物流有限公司', contacts: [{ name: '钱二', emails: ['ops@yi-logistics.cn'] }] },
  byName: { name: '既有华南贸易有限公司', contacts: [{ name: '钱三', phones: ['02088886666'] }] },
  byCredit: { name: '既有丁供应链', creditCode: '91310000MA1FL0XX4D', contacts: [] },
  byExternal: { name: '既有戊仓储', externalId: 'ERP-42', contacts: [] },
};

/** The phone of good row i, written in one of five forms; and its E.164. */
export function mixedPhone(i: number): { written: string; e164: string } {
  const eight = pad(i, 8);
  switch (i % 5) {
    case 0:
      return { written: `+86 138${eight}`, e164: `+86138${eight}` };
    case 1:
      return { written: `139-${eight.slice(0, 4)}-${eight.slice(4)}`, e164: `+86139${eight}` };
    case 2: {
      const seven = pad(i, 7);
      return { written: `(021)6${seven.slice(0, 3)} ${seven.slice(3)}`, e164: `+86216${seven}` };
    }
    case 3:
      return { written: `021-5${pad(i, 7)}-801`, e164: `+86215${pad(i, 7)}` };
    default: {
      const seven = pad(1_000_000 + i, 7);
      return { written: `400 ${seven.slice(0, 3)} ${seven.slice(3)}`, e164: `+86400${seven}` };
    }
  }
}

export interface BigFile {
  bytes: Buffer;
  badLines: number[];
  /** Lines repeating an earlier row of the file. */
  inFileDuplicateLines: number[];
  /** Lines matching a stored customer (phone, e-mail, name, credit code, external id). */
  storedDuplicateLines: number[];
  dataRows: number;
}

export async function bigImportFile(): Promise<BigFile> {
  const rows: string[][] = [];
  const badLines: number[] = [];
  const inFileDuplicateLines: number[] = [];
  const storedDuplicateLines: number[] = [];
  const dataRows = 10_000;
  for (let j = 0; j < dataRows; j++) {
    const line = j + 2;
    let name = `${cities[j % 10]}${pad(j, 5)}号物流有限公司`;
    const contact = `${surnames[j % 10]}${given[j % 7]}`;
    let phone = mixedPhone(j).written;
    let email = j % 3 === 0 ? `user${j}@example.cn` : '';
    let credit = '';
    let external = '';
    if (j % 500 === 7) {
      badLines.push(line);
      const k = badLines.length;
      if (k % 3 === 0) name = '';
      else if (k % 3 === 1) phone = 'call me later';
      else email = 'not-an-email@';
    } else if (j % 300 === 100) {
      inFileDuplicateLines.push(line);
      name = `${cities[(j - 50) % 10]}${pad(j - 50, 5)}号物流有限公司`;
      phone = `137${pad(j, 8)}`;
      email = '';
    } else if (j >= 9000 && j < 9005) {
      storedDuplicateLines.push(line);
      name = `新客户${j}`;
      phone = `136${pad(j, 8)}`;
      email = '';
      if (j === 9000) phone = '135 0000 0001';
      if (j === 9001) email = 'OPS@yi-logistics.cn';
      if (j === 9002) name = '既有华南贸易';
      if (j === 9003) credit = '91310000MA1FL0XX4D';
      if (j === 9004) external = 'ERP-42';
    }
    rows.push([name, contact, phone, email, cities[j % 10]!, credit, external]);
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(['客户名称', '联系人', '手机', '邮箱', '地区', '统一社会信用代码', '外部编号']);
  for (const r of rows) sheet.addRow(r);
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  return { bytes, badLines, inFileDuplicateLines, storedDuplicateLines, dataRows };
}

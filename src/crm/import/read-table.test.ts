import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { mapColumns } from './headers.ts';
import { readTable } from './read-table.ts';

describe('readTable', () => {
  it('numbers CSV rows as lines of the file, across quoted line breaks and blank lines', async () => {
    const csv = '\uFEFFname,region\r\n甲,"上海\n浦东"\r\n\r\n乙,北京\r\n';
    expect(await readTable('a.csv', Buffer.from(csv))).toEqual([
      { line: 1, cells: ['name', 'region'] },
      { line: 2, cells: ['甲', '上海\n浦东'] },
      { line: 5, cells: ['乙', '北京'] },
    ]);
  });

  it('reads GBK CSV, as Excel saves it on Chinese Windows', async () => {
    // "客户名称\n顺丰" in GBK.
    const gbk = Buffer.from([0xbf, 0xcd, 0xbb, 0xa7, 0xc3, 0xfb, 0xb3, 0xc6, 0x0a, 0xcb, 0xb3, 0xb7, 0xe1]);
    expect((await readTable('gbk.csv', gbk)).map((r) => r.cells[0])).toEqual(['客户名称', '顺丰']);
  });

  it('reads .xlsx with row numbers, numbers and rich text as text', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('s');
    sheet.addRow(['客户名称', '手机']);
    sheet.addRow([]);
    sheet.addRow([{ richText: [{ text: '华东' }, { text: '物流' }] }, 13800000001]);
    const rows = await readTable('a.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows).toEqual([
      { line: 1, cells: ['客户名称', '手机'] },
      { line: 3, cells: ['华东物流', '13800000001'] },
    ]);
  });

  it('refuses a file named .xlsx that is not a workbook', async () => {
    await expect(readTable('a.xlsx', Buffer.from('name\n'))).rejects.toMatchObject({ code: 'validation' });
  });
});

describe('mapColumns', () => {
  it('recognises both contract header sets without mapping', () => {
    expect(mapColumns(['name', 'contact', 'phone', 'email', 'region'])).toEqual({
      name: 0,
      contact: 1,
      phone: 2,
      email: 3,
      region: 4,
    });
    expect(mapColumns(['客户名称', '联系人', '手机', '邮箱', '地区'])).toEqual({
      name: 0,
      contact: 1,
      phone: 2,
      email: 3,
      region: 4,
    });
  });

  it('takes an explicit mapping and rejects unknown fields', () => {
    expect(mapColumns(['公司全称', '座机'], { 公司全称: 'name' })).toEqual({ name: 0, phone: 1 });
    expect(() => mapColumns(['x'], { x: 'salary' })).toThrow(/unknown field/);
    expect(() => mapColumns(['公司全称'])).toThrow(/no customer name column/);
  });
});

// English for the CRM customer import and ownership (issue #6); spread into `en.ts`.
import type { Widen } from './widen';
import type { CrmMessages } from './zh-CN-crm';

export const enCrm: Widen<CrmMessages> = {
  crm: {
    owner: 'Owner',
    export: 'Export to Excel',
    duplicate: { title: 'This may duplicate an existing customer', createAnyway: 'Create anyway' },
    region: 'Region',
    import: {
      open: 'Import customers',
      title: 'Import customers (Excel / CSV)',
      drop: 'Click or drop an .xlsx / .csv file',
      hint: 'Line 1 is the header; recognised as is: name, contact, phone, email, region (or 客户名称, 联系人, 手机, 邮箱, 地区)',
      policy: 'Duplicates',
      policies: { skip: 'Skip', update: 'Update the existing customer', create: 'Create anyway' },
      preview: 'Preview (dry run)',
      run: 'Import',
      uploading: 'Uploading {{percent}}%',
      processing: 'Processing on the server…',
      created: 'Created',
      updated: 'Updated',
      skipped: 'Skipped',
      errors: 'Errors',
      line: 'Line',
      message: 'Reason',
      action: 'Action',
      actions: { create: 'Create', update: 'Update', skip: 'Skip' },
      dryRunDone: 'Preview (nothing written yet):',
      done: 'Import finished, batch {{id}}',
      undo: 'Undo this import',
      undoConfirm: 'Undo deletes the customers this import created and restores the ones it updated. Undo?',
      undone: 'Import undone',
      failed: 'Import failed: {{message}}',
      chooseFile: 'Choose a file first',
    },
  },
};

// Simplified Chinese for the CRM customer import and ownership (issue #6); spread into `zh-CN.ts`.
export const zhCNCrm = {
  crm: {
    owner: '负责人',
    export: '导出 Excel',
    duplicate: { title: '可能与已有客户重复', createAnyway: '仍然新建' },
    region: '地区',
    import: {
      open: '导入客户',
      title: '导入客户（Excel / CSV）',
      drop: '点击或拖入 .xlsx / .csv 文件',
      hint: '第 1 行为表头；可直接识别：客户名称、联系人、手机、邮箱、地区（或 name, contact, phone, email, region）',
      policy: '重复数据',
      policies: { skip: '跳过', update: '更新已有客户', create: '仍然新建' },
      preview: '预览（不写入）',
      run: '开始导入',
      uploading: '上传中 {{percent}}%',
      processing: '服务器处理中…',
      created: '新建',
      updated: '更新',
      skipped: '跳过',
      errors: '错误',
      line: '行号',
      message: '原因',
      action: '处理',
      actions: { create: '新建', update: '更新', skip: '跳过' },
      dryRunDone: '预览结果（尚未写入）：',
      done: '导入完成，批次 {{id}}',
      undo: '撤销本次导入',
      undoConfirm: '撤销后，本次新建的客户将被删除，更新过的客户恢复原值。确定撤销？',
      undone: '已撤销导入',
      failed: '导入失败：{{message}}',
      chooseFile: '请先选择文件',
    },
  },
};

export type CrmMessages = typeof zhCNCrm;

import { InboxOutlined, UndoOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Modal,
  Popconfirm,
  Progress,
  Radio,
  Space,
  Statistic,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  importCustomers,
  undoImport,
  type DuplicatePolicy,
  type ImportResult,
} from '../../api/customer-import-api';
import { customersQueryKey } from '../../api/customers-api';

type Phase = { kind: 'idle' } | { kind: 'uploading'; percent: number } | { kind: 'processing' };

function Counts({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  return (
    <Space size="large" data-testid="import-counts">
      <Statistic title={t('crm.import.created')} value={result.created} />
      <Statistic title={t('crm.import.updated')} value={result.updated} />
      <Statistic title={t('crm.import.skipped')} value={result.skipped} />
      <Statistic title={t('crm.import.errors')} value={result.errors.length} />
    </Space>
  );
}

/** Import dialog (issue #6): choose a file and a duplicate policy, preview, import, undo. */
export function CustomerImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [policy, setPolicy] = useState<DuplicatePolicy>('skip');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [result, setResult] = useState<ImportResult | null>(null);
  const [undone, setUndone] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) {
      message.warning(t('crm.import.chooseFile'));
      return;
    }
    setResult(null);
    setUndone(false);
    setPhase({ kind: 'uploading', percent: 0 });
    try {
      const r = await importCustomers(file, { policy, dryRun }, (percent) =>
        setPhase(percent >= 100 ? { kind: 'processing' } : { kind: 'uploading', percent }),
      );
      setResult(r);
      if (!dryRun) await queryClient.invalidateQueries({ queryKey: customersQueryKey });
    } catch (err) {
      message.error(t('crm.import.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setPhase({ kind: 'idle' });
    }
  };

  const undo = async () => {
    if (!result?.batchId) return;
    try {
      await undoImport(result.batchId);
      setUndone(true);
      message.success(t('crm.import.undone'));
      await queryClient.invalidateQueries({ queryKey: customersQueryKey });
    } catch (err) {
      message.error(t('crm.import.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };

  const busy = phase.kind !== 'idle';
  return (
    <Modal
      open={open}
      title={t('crm.import.title')}
      width={760}
      onCancel={busy ? undefined : onClose}
      footer={
        <Space>
          <Button data-testid="import-preview" disabled={busy} onClick={() => void run(true)}>
            {t('crm.import.preview')}
          </Button>
          <Button type="primary" data-testid="import-run" loading={busy} onClick={() => void run(false)}>
            {t('crm.import.run')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          disabled={busy}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            return false;
          }}
          onRemove={() => setFile(null)}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('crm.import.drop')}</p>
          <p className="ant-upload-hint">{t('crm.import.hint')}</p>
        </Upload.Dragger>
        <Space>
          <Typography.Text>{t('crm.import.policy')}</Typography.Text>
          <Radio.Group
            value={policy}
            disabled={busy}
            onChange={(e) => setPolicy(e.target.value as DuplicatePolicy)}
            options={(['skip', 'update', 'create'] as const).map((p) => ({
              value: p,
              label: t(`crm.import.policies.${p}`),
            }))}
          />
        </Space>
        {phase.kind === 'uploading' && (
          <Progress
            percent={phase.percent}
            format={() => t('crm.import.uploading', { percent: phase.percent })}
          />
        )}
        {phase.kind === 'processing' && (
          <Progress percent={100} status="active" format={() => t('crm.import.processing')} />
        )}
        {result && (
          <>
            {result.dryRun ? (
              <Typography.Text strong>{t('crm.import.dryRunDone')}</Typography.Text>
            ) : (
              <Alert
                type={undone ? 'info' : 'success'}
                showIcon
                title={undone ? t('crm.import.undone') : t('crm.import.done', { id: result.batchId })}
                action={
                  !undone && result.batchId ? (
                    <Popconfirm title={t('crm.import.undoConfirm')} onConfirm={() => void undo()}>
                      <Button size="small" danger icon={<UndoOutlined />} data-testid="import-undo">
                        {t('crm.import.undo')}
                      </Button>
                    </Popconfirm>
                  ) : undefined
                }
              />
            )}
            <Counts result={result} />
            {result.errors.length > 0 && (
              <Table
                size="small"
                rowKey={(e) => `${e.line}:${e.message}`}
                dataSource={result.errors}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={[
                  { title: t('crm.import.line'), dataIndex: 'line', width: 90 },
                  { title: t('crm.import.message'), dataIndex: 'message' },
                ]}
                data-testid="import-errors"
              />
            )}
            {result.preview && result.preview.length > 0 && (
              <Table
                size="small"
                rowKey="line"
                dataSource={result.preview}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={[
                  { title: t('crm.import.line'), dataIndex: 'line', width: 90 },
                  { title: t('customers.name'), dataIndex: 'name' },
                  {
                    title: t('crm.import.action'),
                    dataIndex: 'action',
                    width: 110,
                    render: (a: 'create' | 'update' | 'skip') => t(`crm.import.actions.${a}`),
                  },
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}

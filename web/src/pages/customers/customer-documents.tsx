import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Popconfirm, Select, Space, Table, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  deleteDocument,
  documentKinds,
  documentsQueryKey,
  fetchDocument,
  fetchDocuments,
  uploadDocument,
  versionUrl,
  type CrmDocument,
  type DocumentKind,
  type DocumentVersion,
} from '../../api/documents-api';

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A PDF page (rendered on the server) or an image, with page turning for PDFs. */
function PreviewModal({
  target,
  onClose,
}: {
  target: { doc: CrmDocument; v: DocumentVersion } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const pdf = target?.v.previewable === 'pdf';
  return (
    <Modal
      open={target !== null}
      title={target ? `${target.doc.title} · v${target.v.version}` : ''}
      footer={
        pdf ? (
          <Space>
            <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t('documents.prevPage')}
            </Button>
            <span>{t('documents.page', { page })}</span>
            <Button onClick={() => setPage(page + 1)}>{t('documents.nextPage')}</Button>
          </Space>
        ) : null
      }
      onCancel={() => {
        setPage(1);
        onClose();
      }}
      width={860}
    >
      {target && (
        <img
          data-testid="document-preview"
          alt={target.v.fileName}
          src={versionUrl(target.doc.id, target.v.version, 'preview', page)}
          style={{ maxWidth: '100%' }}
        />
      )}
    </Modal>
  );
}

function Versions({ doc, onPreview }: { doc: CrmDocument; onPreview: (v: DocumentVersion) => void }) {
  const { t } = useTranslation();
  const full = useQuery({
    queryKey: [...documentsQueryKey, 'one', doc.id, doc.currentVersion],
    queryFn: ({ signal }) => fetchDocument(doc.id, signal),
  });
  return (
    <Table<DocumentVersion>
      size="small"
      rowKey="version"
      pagination={false}
      loading={full.isPending}
      dataSource={full.data?.versions ?? []}
      columns={[
        { title: t('documents.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
        { title: t('documents.file'), dataIndex: 'fileName' },
        { title: t('documents.size'), dataIndex: 'size', render: sizeText },
        { title: t('documents.uploadedBy'), dataIndex: 'uploadedBy' },
        {
          title: t('documents.updatedAt'),
          dataIndex: 'createdAt',
          render: (at: string) => new Date(at).toLocaleString(),
        },
        {
          key: 'actions',
          render: (_: unknown, v: DocumentVersion) => (
            <Space>
              {v.previewable && (
                <Button size="small" onClick={() => onPreview(v)}>
                  {t('documents.preview')}
                </Button>
              )}
              <Button size="small" href={versionUrl(doc.id, v.version, 'download')}>
                {t('documents.download')}
              </Button>
            </Space>
          ),
        },
      ]}
    />
  );
}

/** The documents tab of a customer (CRM-06): upload, versions, preview, download, delete. */
export function CustomerDocuments({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [kind, setKind] = useState<DocumentKind>('quote');
  const [preview, setPreview] = useState<{ doc: CrmDocument; v: DocumentVersion } | null>(null);
  const docs = useQuery({
    queryKey: [...documentsQueryKey, customerId],
    queryFn: ({ signal }) => fetchDocuments(customerId, 100, 0, signal),
  });
  const refresh = () => client.invalidateQueries({ queryKey: documentsQueryKey });
  const upload = useMutation({
    mutationFn: (args: { file: File; documentId?: string }) =>
      uploadDocument(args.file, args.documentId ? { documentId: args.documentId } : { customerId, kind }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: deleteDocument, onSuccess: refresh });
  const failure = docs.error ?? upload.error ?? remove.error;
  const picker = (documentId?: string) => ({
    showUploadList: false,
    beforeUpload: (file: File) => {
      upload.mutate({ file, documentId });
      return false;
    },
  });

  return (
    <div data-testid="customer-documents">
      {failure && <Alert type="error" showIcon title={failure.message} style={{ marginBottom: 12 }} />}
      <Space style={{ marginBottom: 12 }}>
        <Select<DocumentKind>
          value={kind}
          onChange={setKind}
          style={{ width: 140 }}
          options={documentKinds.map((k) => ({ value: k, label: t(`documents.kinds.${k}`) }))}
        />
        <Upload {...picker()}>
          <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid="document-upload">
            {t('documents.upload')}
          </Button>
        </Upload>
      </Space>
      <Table<CrmDocument>
        size="small"
        rowKey="id"
        loading={docs.isPending}
        dataSource={docs.data?.items ?? []}
        locale={{ emptyText: t('documents.empty') }}
        pagination={false}
        expandable={{
          expandedRowRender: (doc) => <Versions doc={doc} onPreview={(v) => setPreview({ doc, v })} />,
        }}
        columns={[
          { title: t('documents.title'), dataIndex: 'title' },
          {
            title: t('documents.kind'),
            dataIndex: 'kind',
            render: (k: DocumentKind) => t(`documents.kinds.${k}`),
          },
          { title: t('documents.version'), dataIndex: 'currentVersion', render: (v: number) => `v${v}` },
          {
            title: t('documents.size'),
            key: 'size',
            render: (_: unknown, d: CrmDocument) => sizeText(d.latest.size),
          },
          {
            title: t('documents.uploadedBy'),
            key: 'by',
            render: (_: unknown, d: CrmDocument) => d.latest.uploadedBy,
          },
          {
            title: t('documents.updatedAt'),
            dataIndex: 'updatedAt',
            render: (at: string) => new Date(at).toLocaleString(),
          },
          {
            key: 'actions',
            render: (_: unknown, d: CrmDocument) => (
              <Space>
                {d.latest.previewable && (
                  <Button size="small" onClick={() => setPreview({ doc: d, v: d.latest })}>
                    {t('documents.preview')}
                  </Button>
                )}
                <Button size="small" href={versionUrl(d.id, d.currentVersion, 'download')}>
                  {t('documents.download')}
                </Button>
                <Upload {...picker(d.id)}>
                  <Button size="small">{t('documents.newVersion')}</Button>
                </Upload>
                <Popconfirm title={t('documents.deleteConfirm')} onConfirm={() => remove.mutate(d.id)}>
                  <Button size="small" danger>
                    {t('documents.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <PreviewModal target={preview} onClose={() => setPreview(null)} />
    </div>
  );
}

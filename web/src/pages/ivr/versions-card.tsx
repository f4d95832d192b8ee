import { Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FlowDetail } from '../../api/ivr-api';

type Version = FlowDetail['versions'][number];

interface Props {
  flow: FlowDetail;
  publishing: boolean;
  onLoad(version: Version): void;
  onPublish(version: number): void;
}

/** Every version of the flow: load one into the editor, or publish it (an earlier one rolls back). */
export function VersionsCard({ flow, publishing, onLoad, onPublish }: Props) {
  const { t } = useTranslation();
  const versions = [...flow.versions].sort((a, b) => b.version - a.version);
  return (
    <Card title={t('ivr.versions')} size="small" data-testid="flow-versions">
      <Table<Version>
        rowKey="version"
        size="small"
        pagination={false}
        dataSource={versions}
        onRow={(v) => ({ 'data-testid': `version-row-${v.version}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('ivr.version'),
            dataIndex: 'version',
            render: (v: number, row) => (
              <Space>
                v{v}
                {row.published && <Tag color="green">{t('ivr.current')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('ivr.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => new Date(v).toLocaleString(),
          },
          { title: t('ivr.createdBy'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '—' },
          {
            key: 'actions',
            render: (_: unknown, row) => (
              <Space>
                <Button size="small" data-testid={`load-version-${row.version}`} onClick={() => onLoad(row)}>
                  {t('ivr.load')}
                </Button>
                {!row.published && (
                  <Popconfirm
                    title={
                      flow.publishedVersion !== null && row.version < flow.publishedVersion
                        ? t('ivr.rollbackConfirm', { version: row.version })
                        : t('ivr.publishConfirm', { version: row.version })
                    }
                    onConfirm={() => onPublish(row.version)}
                    okButtonProps={{ 'data-testid': 'publish-confirm' } as Record<string, string>}
                  >
                    <Button
                      size="small"
                      type="primary"
                      loading={publishing}
                      data-testid={`publish-version-${row.version}`}
                    >
                      {t('ivr.publish')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

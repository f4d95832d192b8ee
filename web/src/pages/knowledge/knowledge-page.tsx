import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Input,
  Modal,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createCategory,
  deleteArticle,
  deleteCategory,
  fetchArticles,
  fetchCategories,
  knowledgeQueryKey,
  type KbArticle,
  type KbCategory,
} from '../../api/knowledge-api';
import { useCurrentUser } from '../../auth/auth-context';
import { canSupervise } from '../../auth/role-access';
import { ArticleDrawer } from './article-drawer';

const ALL = '__all__';

function treeOf(categories: KbCategory[], parentId: string | null): DataNode[] {
  return categories
    .filter((c) => c.parentId === parentId)
    .map((c) => ({ key: c.id, title: c.name, children: treeOf(categories, c.id) }));
}

/**
 * The knowledge base (CRM-11): everyone reads published articles by category and search;
 * supervisors and admins also see drafts and write, publish and delete.
 */
export function KnowledgePage() {
  const { t } = useTranslation();
  const editor = canSupervise(useCurrentUser());
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [reading, setReading] = useState<KbArticle | null>(null);
  const [editing, setEditing] = useState<{ article: KbArticle | null } | null>(null);
  const [newCategory, setNewCategory] = useState<string | null>(null);

  const categories = useQuery({
    queryKey: [...knowledgeQueryKey, 'categories'],
    queryFn: ({ signal }) => fetchCategories(signal),
  });
  const articles = useQuery({
    queryKey: [...knowledgeQueryKey, 'articles', q, categoryId, page],
    queryFn: ({ signal }) => fetchArticles({ q: q || undefined, categoryId }, 20, (page - 1) * 20, signal),
  });
  const refresh = () => client.invalidateQueries({ queryKey: knowledgeQueryKey });
  const removeArticle = useMutation({ mutationFn: deleteArticle, onSuccess: refresh });
  const addCategory = useMutation({
    mutationFn: (name: string) => createCategory({ name, parentId: categoryId ?? null }),
    onSuccess: async () => {
      setNewCategory(null);
      await refresh();
    },
  });
  const removeCategory = useMutation({
    mutationFn: deleteCategory,
    onSuccess: async () => {
      setCategoryId(undefined);
      await refresh();
    },
  });
  const tree = useMemo(
    () => [{ key: ALL, title: t('knowledge.allCategories'), children: treeOf(categories.data ?? [], null) }],
    [categories.data, t],
  );
  const failure =
    articles.error ?? categories.error ?? removeArticle.error ?? addCategory.error ?? removeCategory.error;

  return (
    <Card title={t('knowledge.title')}>
      {failure && <Alert type="error" showIcon title={failure.message} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Tree
            blockNode
            defaultExpandAll
            key={categories.data?.length ?? 0}
            treeData={tree}
            selectedKeys={[categoryId ?? ALL]}
            onSelect={(keys) => {
              const key = keys[0];
              setCategoryId(key === undefined || key === ALL ? undefined : String(key));
              setPage(1);
            }}
          />
          {editor && (
            <Space style={{ marginTop: 12 }} wrap>
              <Button size="small" onClick={() => setNewCategory('')}>
                {t('knowledge.newCategory')}
              </Button>
              {categoryId && (
                <Popconfirm
                  title={t('knowledge.deleteCategory')}
                  onConfirm={() => removeCategory.mutate(categoryId)}
                >
                  <Button size="small" danger>
                    {t('knowledge.deleteCategory')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )}
        </Col>
        <Col xs={24} md={18}>
          <Space style={{ marginBottom: 16 }} wrap>
            <Input.Search
              allowClear
              data-testid="kb-page-search"
              placeholder={t('knowledge.search')}
              style={{ width: 420 }}
              onSearch={(value) => {
                setQ(value.trim());
                setPage(1);
              }}
            />
            {editor && (
              <Button type="primary" data-testid="kb-new" onClick={() => setEditing({ article: null })}>
                {t('knowledge.newArticle')}
              </Button>
            )}
          </Space>
          <Table<KbArticle>
            rowKey="id"
            loading={articles.isPending}
            dataSource={articles.data?.items ?? []}
            locale={{ emptyText: t('knowledge.empty') }}
            pagination={{
              current: page,
              pageSize: 20,
              total: articles.data?.total ?? 0,
              showTotal: (total) => t('knowledge.total', { total }),
              onChange: setPage,
            }}
            columns={[
              {
                title: t('knowledge.fields.title'),
                dataIndex: 'title',
                render: (title: string, a) => (
                  <Typography.Link data-testid="kb-article" onClick={() => setReading(a)}>
                    {title}
                  </Typography.Link>
                ),
              },
              {
                title: t('knowledge.fields.kind'),
                dataIndex: 'kind',
                render: (k: KbArticle['kind']) => t(`knowledge.kinds.${k}`),
              },
              {
                title: t('knowledge.fields.category'),
                dataIndex: 'categoryName',
                render: (n: string | null) => n ?? t('knowledge.uncategorised'),
              },
              ...(editor
                ? [
                    {
                      title: t('knowledge.fields.status'),
                      dataIndex: 'status',
                      render: (s: KbArticle['status']) => (
                        <Tag color={s === 'published' ? 'green' : 'default'}>
                          {t(`knowledge.statuses.${s}`)}
                        </Tag>
                      ),
                    },
                  ]
                : []),
              {
                title: t('knowledge.fields.tags'),
                dataIndex: 'tags',
                render: (tags: string[]) => tags.map((x) => <Tag key={x}>{x}</Tag>),
              },
              { title: t('knowledge.fields.author'), dataIndex: 'author' },
              {
                title: t('knowledge.fields.updatedAt'),
                dataIndex: 'updatedAt',
                render: (at: string) => new Date(at).toLocaleString(),
              },
              ...(editor
                ? [
                    {
                      key: 'actions',
                      render: (_: unknown, a: KbArticle) => (
                        <Space>
                          <Button size="small" onClick={() => setEditing({ article: a })}>
                            {t('knowledge.edit')}
                          </Button>
                          <Popconfirm
                            title={t('knowledge.deleteConfirm')}
                            onConfirm={() => removeArticle.mutate(a.id)}
                          >
                            <Button size="small" danger>
                              {t('knowledge.delete')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Col>
      </Row>
      <Modal
        open={reading !== null}
        title={reading?.title}
        footer={null}
        onCancel={() => setReading(null)}
        width={720}
      >
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{reading?.body}</Typography.Paragraph>
      </Modal>
      <Modal
        open={newCategory !== null}
        title={t('knowledge.newCategory')}
        onCancel={() => setNewCategory(null)}
        onOk={() => newCategory && addCategory.mutate(newCategory)}
        confirmLoading={addCategory.isPending}
      >
        <Input
          placeholder={t('knowledge.categoryName')}
          value={newCategory ?? ''}
          onChange={(e) => setNewCategory(e.target.value)}
        />
      </Modal>
      <ArticleDrawer
        open={editing !== null}
        article={editing?.article ?? null}
        categories={categories.data ?? []}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Collapse, Empty, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchArticles, knowledgeQueryKey, suggestArticles, type KbArticle } from '../../api/knowledge-api';

/**
 * The knowledge base on the desk (CRM-11): a search box, and until the agent searches, articles
 * suggested for the call's context: the queue it came through and the caller's customer's latest
 * timeline entries (their open topics).
 */
export function KnowledgePanel({ context, customerId }: { context: string; customerId?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const search = useQuery({
    queryKey: [...knowledgeQueryKey, 'desk-search', q],
    queryFn: ({ signal }) => fetchArticles({ q }, 10, 0, signal),
    enabled: q !== '',
  });
  const suggested = useQuery({
    queryKey: [...knowledgeQueryKey, 'suggest', context, customerId],
    queryFn: ({ signal }) => suggestArticles(context, customerId, signal),
    enabled: q === '',
  });
  const articles: KbArticle[] = (q ? search.data?.items : suggested.data) ?? [];
  const failed = q ? search.error : suggested.error;

  return (
    <Card title={t('knowledge.panel.title')} size="small" data-testid="knowledge-panel">
      <Input.Search
        allowClear
        data-testid="kb-search"
        placeholder={t('knowledge.panel.search')}
        onSearch={(value) => setQ(value.trim())}
        loading={search.isFetching}
        style={{ marginBottom: 12 }}
      />
      <Typography.Text type="secondary">
        {q ? t('knowledge.panel.results') : t('knowledge.panel.suggested')}
      </Typography.Text>
      {failed && <Alert type="error" showIcon title={failed.message} style={{ marginTop: 8 }} />}
      {articles.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={q ? t('knowledge.empty') : t('knowledge.panel.none')}
        />
      ) : (
        <Collapse
          size="small"
          style={{ marginTop: 8 }}
          items={articles.map((a) => ({
            key: a.id,
            label: (
              <Space data-testid="kb-result">
                <span>{a.title}</span>
                {a.kind === 'faq' && <Tag color="blue">{t('knowledge.kinds.faq')}</Tag>}
              </Space>
            ),
            children: (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {a.body}
              </Typography.Paragraph>
            ),
          }))}
        />
      )}
    </Card>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import {
  knowledgeQueryKey,
  saveArticle,
  type ArticleInput,
  type KbArticle,
  type KbCategory,
} from '../../api/knowledge-api';

/** Writes or edits an article or FAQ entry (editors only; the server checks the role too). */
export function ArticleDrawer({
  open,
  article,
  categories,
  onClose,
}: {
  open: boolean;
  article: KbArticle | null;
  categories: KbCategory[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ArticleInput>();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (input: ArticleInput) => saveArticle(article?.id ?? null, input),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: knowledgeQueryKey });
      onClose();
    },
  });
  useEffect(() => {
    if (!open) return;
    save.reset();
    form.setFieldsValue(
      article
        ? {
            kind: article.kind,
            title: article.title,
            body: article.body,
            categoryId: article.categoryId,
            status: article.status,
            tags: article.tags,
          }
        : { kind: 'article', title: '', body: '', categoryId: null, status: 'draft', tags: [] },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, article]);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={article ? t('knowledge.edit') : t('knowledge.newArticle')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('knowledge.cancel')}</Button>
          <Button type="primary" data-testid="kb-save" loading={save.isPending} onClick={() => form.submit()}>
            {t('knowledge.save')}
          </Button>
        </Space>
      }
    >
      {save.error && <Alert type="error" showIcon title={save.error.message} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => save.mutate({ ...values, tags: values.tags ?? [] })}
      >
        <Form.Item name="kind" label={t('knowledge.fields.kind')}>
          <Select
            options={(['article', 'faq'] as const).map((k) => ({
              value: k,
              label: t(`knowledge.kinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('knowledge.fields.title')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input data-testid="kb-title" maxLength={300} />
        </Form.Item>
        <Form.Item name="body" label={t('knowledge.fields.body')}>
          <Input.TextArea data-testid="kb-body" autoSize={{ minRows: 8, maxRows: 24 }} />
        </Form.Item>
        <Form.Item name="categoryId" label={t('knowledge.fields.category')}>
          <Select allowClear options={categories.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="status" label={t('knowledge.fields.status')}>
          <Select
            options={(['draft', 'published'] as const).map((s) => ({
              value: s,
              label: t(`knowledge.statuses.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="tags" label={t('knowledge.fields.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

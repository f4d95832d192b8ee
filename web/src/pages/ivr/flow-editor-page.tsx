import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Input, Popconfirm, Row, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../api/http';
import {
  fetchFlow,
  ivrFlowQueryKey,
  ivrFlowsQueryKey,
  publishFlow,
  saveFlowVersion,
  validateFlow,
  type FlowDocument,
  type FlowError,
  type FlowNode,
} from '../../api/ivr-api';
import { apiErrorText } from '../../lib/api-error-text';
import { errorsFromApi } from './flow-errors';
import { FlowGraph } from './flow-graph';
import { FlowMetricsCard } from './flow-metrics-card';
import { NodeForm } from './node-form';
import { extraVerbs, newExtraNode } from './extra-node-fields';
import { TestCallPanel } from './test-call-panel';
import { VersionsCard } from './versions-card';

const verbs = [
  'menu',
  'play',
  'say',
  'gather',
  'asr',
  'set',
  'condition',
  'hours',
  'lookup',
  'queue',
  'hangup',
  ...extraVerbs,
];

/** A new node of `verb` with the fields it needs (links left empty for the editor to fill in). */
function newNode(verb: string): FlowNode {
  const prompt = [{ tts: '', lang: 'zh' }];
  switch (verb) {
    case 'menu':
      return { verb, prompt, choices: {} };
    case 'play':
      return { verb, prompt, next: '' };
    case 'say':
      return { verb, text: '', lang: 'zh', next: '' };
    case 'gather':
      return { verb, prompt, variable: 'digits', next: '' };
    case 'asr':
      return { verb, prompt, into: 'digits', next: '' };
    case 'set':
      return { verb, variable: 'x', value: '', next: '' };
    case 'condition':
      return { verb, variable: 'caller', op: 'eq', value: '', then: '', else: '' };
    case 'hours':
      return { verb, windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }], open: '', closed: '' };
    case 'lookup':
      return { verb, source: 'waybill', input: 'waybill', found: '', notFound: '' };
    case 'queue':
      return { verb, group: 'general' };
    default:
      return newExtraNode(verb) ?? { verb };
  }
}

/** The flow editor (issue #5): graph, a form per node, validate, save a version, publish, test call. */
export function FlowEditorPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const flow = useQuery({ queryKey: ivrFlowQueryKey(id), queryFn: ({ signal }) => fetchFlow(id, signal) });
  const [doc, setDoc] = useState<FlowDocument | null>(null);
  const [base, setBase] = useState<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FlowError[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [newId, setNewId] = useState('');
  const [newVerb, setNewVerb] = useState('hangup');

  useEffect(() => {
    if (doc || !flow.data) return;
    const v = flow.data.publishedVersion ?? flow.data.latestVersion;
    const stored = flow.data.versions.find((x) => x.version === v);
    if (stored) {
      setDoc(structuredClone(stored.document));
      setBase(v);
    }
  }, [flow.data, doc]);

  const errorNodes = useMemo(
    () => new Set((errors ?? []).map((e) => e.node).filter((n): n is string => n !== null)),
    [errors],
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ivrFlowQueryKey(id) }),
      queryClient.invalidateQueries({ queryKey: ivrFlowsQueryKey }),
    ]);
  const showErrors = (list: FlowError[]) => {
    setErrors(list);
    const first = list.find((e) => e.node !== null && doc?.nodes[e.node]);
    if (first?.node) setSelected(first.node);
  };

  const validate = useMutation({
    mutationFn: (d: FlowDocument) => validateFlow(d),
    onSuccess: (r) => {
      showErrors(r.errors);
      if (r.valid) void message.success(t('ivr.valid'));
      else void message.error(t('ivr.invalid', { count: r.errors.length }));
    },
    onError: (e) => void message.error(apiErrorText(e, t)),
  });
  const save = useMutation({
    mutationFn: (d: FlowDocument) => saveFlowVersion(id, d),
    onSuccess: async (r) => {
      setErrors([]);
      setBase(r.version);
      setDirty(false);
      void message.success(t('ivr.saved', { version: r.version }));
      await refresh();
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 400) showErrors(errorsFromApi(e));
      void message.error(apiErrorText(e, t));
    },
  });
  const publish = useMutation({
    mutationFn: (version: number) => publishFlow(id, version),
    onSuccess: async (r) => {
      void message.success(t('ivr.published_', { version: r.publishedVersion }));
      await refresh();
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 400) showErrors(errorsFromApi(e));
      void message.error(apiErrorText(e, t));
    },
  });

  if (flow.isError) return <Alert type="error" showIcon title={apiErrorText(flow.error, t)} />;
  if (!flow.data || !doc) return <Card loading />;

  const update = (next: FlowDocument) => {
    setDoc(next);
    setDirty(true);
  };
  const setNode = (nodeId: string, node: FlowNode) =>
    update({ ...doc, nodes: { ...doc.nodes, [nodeId]: node } });
  const nodeIds = Object.keys(doc.nodes);
  const docErrors = (errors ?? []).filter((e) => e.node === null || !doc.nodes[e.node]);
  const idOk = /^[a-z][a-z0-9_-]{0,40}$/.test(newId) && !doc.nodes[newId];
  const latest = flow.data.latestVersion;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="flow-editor">
      <Card
        size="small"
        title={
          <Space>
            <Button type="link" onClick={() => navigate('/ivr')}>
              ← {t('ivr.back')}
            </Button>
            <span data-testid="flow-title">{flow.data.name}</span>
            {flow.data.serviceNumbers.map((n) => (
              <Tag key={n}>{n}</Tag>
            ))}
            <Tag color="green" data-testid="flow-published-version">
              {t('ivr.published')}:{' '}
              {flow.data.publishedVersion === null ? t('ivr.none') : `v${flow.data.publishedVersion}`}
            </Tag>
            <Typography.Text type="secondary">{t('ivr.editing', { version: base })}</Typography.Text>
            {dirty && <Tag color="orange">{t('ivr.unsaved')}</Tag>}
          </Space>
        }
        extra={
          <Space>
            <Button
              data-testid="flow-validate"
              loading={validate.isPending}
              onClick={() => validate.mutate(doc)}
            >
              {t('ivr.validate')}
            </Button>
            <Button
              type="primary"
              data-testid="flow-save"
              loading={save.isPending}
              onClick={() => save.mutate(doc)}
            >
              {t('ivr.save')}
            </Button>
            <Popconfirm
              title={t('ivr.publishConfirm', { version: latest })}
              onConfirm={() => publish.mutate(latest)}
              okButtonProps={{ 'data-testid': 'publish-latest-confirm' } as Record<string, string>}
              disabled={flow.data.publishedVersion === latest}
            >
              <Button
                data-testid="flow-publish"
                loading={publish.isPending}
                disabled={flow.data.publishedVersion === latest}
              >
                {t('ivr.publishLatest')} (v{latest})
              </Button>
            </Popconfirm>
          </Space>
        }
      >
        <Space wrap>
          <span>{t('ivr.flowName')}</span>
          <Input
            style={{ width: 260 }}
            value={doc.name}
            data-testid="flow-name"
            onChange={(e) => update({ ...doc, name: e.target.value })}
          />
          <span>{t('ivr.startNode')}</span>
          <Select
            style={{ width: 180 }}
            value={doc.start}
            options={nodeIds.map((n) => ({ value: n, label: n }))}
            onChange={(v) => update({ ...doc, start: v })}
          />
          {errors !== null && errors.length === 0 && !dirty && <Tag color="green">{t('ivr.valid')}</Tag>}
          {errors !== null && errors.length > 0 && (
            <Tag color="red" data-testid="flow-error-count">
              {t('ivr.invalid', { count: errors.length })}
            </Tag>
          )}
        </Space>
        {docErrors.length > 0 && (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            data-testid="flow-doc-errors"
            title={t('ivr.docErrors')}
            description={docErrors.map((e, i) => (
              <div key={i}>
                {e.node ? `${e.node}.` : ''}
                {e.field ? `${e.field}: ` : ''}
                {e.message}
              </div>
            ))}
          />
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('ivr.graph')}>
            <FlowGraph flow={doc} selected={selected} errorNodes={errorNodes} onSelect={setSelected} />
            <Space style={{ marginTop: 12 }} wrap>
              <Input
                style={{ width: 160 }}
                placeholder={t('ivr.newNodeId')}
                value={newId}
                status={newId && !idOk ? 'error' : undefined}
                title={newId && !idOk ? t('ivr.badNodeId') : undefined}
                data-testid="new-node-id"
                onChange={(e) => setNewId(e.target.value.trim())}
              />
              <Select
                style={{ width: 120 }}
                value={newVerb}
                data-testid="new-node-verb"
                showSearch
                options={verbs.map((v) => ({ value: v, label: v }))}
                onChange={setNewVerb}
              />
              <Button
                data-testid="add-node"
                disabled={!idOk}
                onClick={() => {
                  setNode(newId, newNode(newVerb));
                  setSelected(newId);
                  setNewId('');
                }}
              >
                {t('ivr.addNode')}
              </Button>
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={
              selected && doc.nodes[selected]
                ? `${t('ivr.node')} ${selected} (${doc.nodes[selected].verb})`
                : t('ivr.node')
            }
            data-testid="node-panel"
            extra={
              selected &&
              doc.nodes[selected] && (
                <Popconfirm
                  title={t('ivr.deleteNodeConfirm', { id: selected })}
                  onConfirm={() => {
                    const nodes = { ...doc.nodes };
                    delete nodes[selected];
                    update({ ...doc, nodes });
                    setSelected(null);
                  }}
                >
                  <Button danger size="small">
                    {t('ivr.deleteNode')}
                  </Button>
                </Popconfirm>
              )
            }
          >
            {selected && doc.nodes[selected] ? (
              <NodeForm
                key={selected}
                id={selected}
                node={doc.nodes[selected]}
                nodeIds={nodeIds}
                errors={(errors ?? []).filter((e) => e.node === selected)}
                onChange={(node) => setNode(selected, node)}
              />
            ) : (
              <Typography.Text type="secondary">{t('ivr.selectNode')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <TestCallPanel flow={doc} onErrors={showErrors} />
      <VersionsCard
        flow={flow.data}
        publishing={publish.isPending}
        onLoad={(v) => {
          setDoc(structuredClone(v.document));
          setBase(v.version);
          setDirty(false);
          setErrors(null);
          void message.info(t('ivr.loaded', { version: v.version }));
        }}
        onPublish={(v) => publish.mutate(v)}
      />
      <FlowMetricsCard flowId={id} versions={flow.data.versions.map((v) => v.version)} />
    </Space>
  );
}

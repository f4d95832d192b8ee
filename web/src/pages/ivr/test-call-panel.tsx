import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Input, InputNumber, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/http';
import { testCall, type FlowDocument, type FlowError } from '../../api/ivr-api';
import { apiErrorText } from '../../lib/api-error-text';
import { errorsFromApi } from './flow-errors';

interface Props {
  flow: FlowDocument;
  /** A test refused as invalid reports the validator's errors to the editor. */
  onErrors(errors: FlowError[]): void;
}

/** A test call without a phone: typed digits walk the flow being edited on the server's FlowRun. */
export function TestCallPanel({ flow, onErrors }: Props) {
  const { t } = useTranslation();
  const [digits, setDigits] = useState('');
  const [timeouts, setTimeouts] = useState(0);
  const run = useMutation({
    mutationFn: () => testCall(flow, digits, timeouts),
    onError: (error) => {
      if (isApiError(error) && error.status === 400) onErrors(errorsFromApi(error));
    },
  });
  const result = run.data;

  return (
    <Card title={t('ivr.test')} size="small" data-testid="test-call-panel">
      <Space wrap>
        <Input
          style={{ width: 220 }}
          value={digits}
          placeholder={t('ivr.digitsHint')}
          data-testid="test-digits"
          onChange={(e) => setDigits(e.target.value.replace(/[^0-9*#]/g, ''))}
          onPressEnter={() => run.mutate()}
        />
        <Space>
          <Typography.Text type="secondary">{t('ivr.noInputTimeouts')}</Typography.Text>
          <InputNumber min={0} max={10} value={timeouts} onChange={(v) => setTimeouts(v ?? 0)} />
        </Space>
        <Button type="primary" loading={run.isPending} data-testid="test-run" onClick={() => run.mutate()}>
          {t('ivr.run')}
        </Button>
      </Space>
      {run.isError && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          data-testid="test-error"
          title={
            isApiError(run.error) && run.error.status === 400
              ? t('ivr.testInvalid')
              : apiErrorText(run.error, t)
          }
        />
      )}
      {result && !run.isError && (
        <div style={{ marginTop: 16 }}>
          <Typography.Title level={5}>{t('ivr.steps')}</Typography.Title>
          <Timeline
            data-testid="test-steps"
            items={result.steps.map((step, i) => ({
              key: i,
              content: (
                <div data-testid={`test-step-${i}`} data-node={step.node}>
                  <Space>
                    <Typography.Text strong>{step.node}</Typography.Text>
                    <Tag>{step.verb}</Tag>
                    {step.input !== undefined && (
                      <Tag color="blue">{t('ivr.pressed', { input: step.input })}</Tag>
                    )}
                    {step.recognised !== undefined && (
                      <Tag color="green">
                        {t('ivr.asr.heard', { digits: step.recognised, confidence: step.confidence })}
                      </Tag>
                    )}
                    {step.dtmfFallback && <Tag color="orange">{t('ivr.asr.fallback')}</Tag>}
                    {step.branch !== undefined && (
                      <Tag color="purple">{t('ivr.branch', { branch: step.branch })}</Tag>
                    )}
                  </Space>
                  {step.prompts.map((p, j) => (
                    <div key={j}>
                      <Typography.Text type="secondary">
                        🔊 {'tts' in p ? `${p.tts} (${p.lang ?? 'zh'})` : p.file}
                      </Typography.Text>
                    </div>
                  ))}
                </div>
              ),
            }))}
          />
          <Alert
            type={result.outcome.type === 'step_limit' ? 'warning' : 'info'}
            showIcon
            data-testid="test-outcome"
            data-outcome={result.outcome.type}
            data-node={result.outcome.node}
            title={t(`ivr.outcome.${result.outcome.type}`, {
              node: result.outcome.node,
              group: result.outcome.group ?? '',
            })}
            description={
              result.unusedDigits ? t('ivr.unusedDigits', { digits: result.unusedDigits }) : undefined
            }
          />
        </div>
      )}
    </Card>
  );
}

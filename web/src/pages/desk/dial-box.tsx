import { PhoneOutlined } from '@ant-design/icons';
import { useMutation, type UseMutationResult } from '@tanstack/react-query';
import { Alert, App, Button, Input, Space, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dialOut, type DialResult } from '../../api/call-control-api';
import type { AgentStateName } from '../../api/types';
import { apiErrorText } from '../../lib/api-error-text';

export type ClickToDial = UseMutationResult<DialResult, Error, string>;

/** One dialler for the desk: the dial box and the customer card's phone numbers share it (and its error). */
export function useClickToDial(): ClickToDial {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: (number: string) => dialOut(number.trim()),
    onSuccess: (result) => message.info(t('dial.placing', { number: result.number })),
  });
}

/** The server refuses too, but the button says so before the agent tries. */
export function canDialIn(state: AgentStateName | undefined): boolean {
  return state !== undefined && state !== 'logged_out' && state !== 'reserved' && state !== 'on_call';
}

export function DialBox({ dial, enabled }: { dial: ClickToDial; enabled: boolean }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const [empty, setEmpty] = useState(false);
  const go = () => {
    if (!number.trim()) {
      setEmpty(true);
      return;
    }
    dial.mutate(number);
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="dial-box">
      <Tooltip title={enabled ? undefined : t('dial.busy')}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            data-testid="dial-number"
            inputMode="tel"
            autoComplete="off"
            allowClear
            status={empty ? 'error' : undefined}
            placeholder={t('dial.placeholder')}
            aria-label={t('dial.placeholder')}
            value={number}
            onChange={(event) => {
              setNumber(event.target.value);
              setEmpty(false);
            }}
            onPressEnter={() => enabled && go()}
          />
          <Button
            type="primary"
            data-testid="btn-dial"
            icon={<PhoneOutlined />}
            loading={dial.isPending}
            disabled={!enabled}
            onClick={go}
          >
            {t('dial.call')}
          </Button>
        </Space.Compact>
      </Tooltip>
      {empty && (
        <Alert type="warning" showIcon title={t('dial.numberRequired')} style={{ padding: '2px 8px' }} />
      )}
      {dial.isError && (
        <Alert
          type="error"
          showIcon
          data-testid="dial-error"
          closable={{ onClose: () => dial.reset() }}
          title={t('dial.failed', { message: apiErrorText(dial.error, t) })}
        />
      )}
    </Space>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Skeleton, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchSkillGroups, skillGroupsQueryKey } from '../../api/acd-api';
import { callerRulesQueryKey, fetchCallerRules } from '../../api/routing-api';
import { CallerRulesForm } from './caller-rules-form';
import { HolidaysCard } from './holidays-card';

export function RoutingRulesPage() {
  const { t } = useTranslation();
  // Not refetched on focus: a background refresh must not replace a half-edited form.
  const rules = useQuery({
    queryKey: callerRulesQueryKey,
    queryFn: ({ signal }) => fetchCallerRules(signal),
    refetchOnWindowFocus: false,
  });
  const groups = useQuery({
    queryKey: skillGroupsQueryKey,
    queryFn: ({ signal }) => fetchSkillGroups(signal),
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="routing-page">
      {rules.data ? (
        <CallerRulesForm rules={rules.data} groups={groups.data ?? []} />
      ) : (
        <Card title={t('routing.title')}>
          {rules.isError ? (
            <Alert
              type="error"
              showIcon
              title={t('routing.loadFailed', { message: rules.error.message })}
              action={
                <Button size="small" onClick={() => void rules.refetch()}>
                  {t('common.retry')}
                </Button>
              }
            />
          ) : (
            <Skeleton active paragraph={{ rows: 6 }} />
          )}
        </Card>
      )}
      {groups.isError && (
        <Alert type="warning" showIcon title={t('common.error', { message: groups.error.message })} />
      )}
      <HolidaysCard />
    </Space>
  );
}

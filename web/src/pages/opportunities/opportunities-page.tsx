import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchStages, type Opportunity } from '../../api/opportunities-api';
import { useCurrentUser } from '../../auth/auth-context';
import { ForecastPanel } from './forecast-panel';
import { OpportunityForm } from './opportunity-form';
import { OpportunityKanban } from './opportunity-kanban';
import { OpportunityList } from './opportunity-list';
import { StageSettings } from './stage-settings';

/** 机会管理: the pipeline as a kanban board, a filtered list and the forecast. */
export function OpportunitiesPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Opportunity | null>(null);
  const stages = useQuery({ queryKey: ['opportunity-stages'], queryFn: fetchStages });
  const list = stages.data ?? [];
  return (
    <Card
      title={t('opp.menu')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="btn-new-opportunity"
          onClick={() => setCreating(true)}
        >
          {t('opp.newOpportunity')}
        </Button>
      }
    >
      <Tabs
        items={[
          {
            key: 'kanban',
            label: t('opp.kanban'),
            children: <OpportunityKanban stages={list} onOpen={setEditing} />,
          },
          {
            key: 'list',
            label: t('opp.list'),
            children: <OpportunityList stages={list} onOpen={setEditing} />,
          },
          { key: 'forecast', label: t('opp.forecast'), children: <ForecastPanel stages={list} /> },
          ...(user.role === 'admin'
            ? [{ key: 'settings', label: t('opp.settings'), children: <StageSettings stages={list} /> }]
            : []),
        ]}
      />
      <OpportunityForm open={creating} onClose={() => setCreating(false)} />
      <OpportunityForm open={editing !== null} opportunity={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}

// The planner area as tabs (arrow keys move between them): the Erlang
// calculator, the forecast from history and the staffing per interval, which
// takes the forecast's first day once there is one.
import { Tabs } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n.ts';
import { ErlangCalculator } from './ErlangCalculator.tsx';
import { Forecast, type ForecastRun } from './Forecast.tsx';
import { Staffing } from './Staffing.tsx';

export function Planner() {
  const { t } = useI18n();
  const [run, setRun] = useState<ForecastRun | null>(null);
  return (
    <Tabs defaultValue="erlang" keepMounted={false}>
      <Tabs.List aria-label={t('planner.tabs')} mb="md">
        <Tabs.Tab value="erlang">{t('planner.tab.erlang')}</Tabs.Tab>
        <Tabs.Tab value="forecast">{t('planner.tab.forecast')}</Tabs.Tab>
        <Tabs.Tab value="staffing">{t('planner.tab.staffing')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="erlang">
        <ErlangCalculator />
      </Tabs.Panel>
      <Tabs.Panel value="forecast">
        <Forecast run={run} onRun={setRun} />
      </Tabs.Panel>
      <Tabs.Panel value="staffing">
        <Staffing run={run} />
      </Tabs.Panel>
    </Tabs>
  );
}

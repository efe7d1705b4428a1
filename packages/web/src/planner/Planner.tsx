// The planner area as tabs (arrow keys move between them): the Erlang
// calculator, the forecast from history, the staffing per interval (the
// forecast's first day once there is one), the schedule proposal that covers
// that staffing, the dimensioning of a new client and the what-if simulation
// with its KPIs. Panels stay mounted, so the staffing is ready for the
// schedule even before its tab is opened.
import { Tabs } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n.ts';
import { Dimension } from './Dimension.tsx';
import { ErlangCalculator } from './ErlangCalculator.tsx';
import { Forecast, type ForecastRun } from './Forecast.tsx';
import { type Requirements, Schedule } from './Schedule.tsx';
import { Simulation } from './Simulation.tsx';
import { Staffing } from './Staffing.tsx';

export function Planner() {
  const { t } = useI18n();
  const [run, setRun] = useState<ForecastRun | null>(null);
  const [requirements, setRequirements] = useState<Requirements | null>(null);
  return (
    <Tabs defaultValue="erlang">
      <Tabs.List aria-label={t('planner.tabs')} mb="md">
        <Tabs.Tab value="erlang">{t('planner.tab.erlang')}</Tabs.Tab>
        <Tabs.Tab value="forecast">{t('planner.tab.forecast')}</Tabs.Tab>
        <Tabs.Tab value="staffing">{t('planner.tab.staffing')}</Tabs.Tab>
        <Tabs.Tab value="schedule">{t('planner.tab.schedule')}</Tabs.Tab>
        <Tabs.Tab value="dimension">{t('planner.tab.dimension')}</Tabs.Tab>
        <Tabs.Tab value="simulation">{t('planner.tab.simulation')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="erlang">
        <ErlangCalculator />
      </Tabs.Panel>
      <Tabs.Panel value="forecast">
        <Forecast run={run} onRun={setRun} />
      </Tabs.Panel>
      <Tabs.Panel value="staffing">
        <Staffing run={run} onRequirements={setRequirements} />
      </Tabs.Panel>
      <Tabs.Panel value="schedule">
        <Schedule requirements={requirements} />
      </Tabs.Panel>
      <Tabs.Panel value="dimension">
        <Dimension />
      </Tabs.Panel>
      <Tabs.Panel value="simulation">
        <Simulation />
      </Tabs.Panel>
    </Tabs>
  );
}

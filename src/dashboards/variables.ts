// The dashboards' template variables: which Prometheus, and which gatewatch in it (job, instance) —
// every dashboard starts with these — plus a helper for label-value variables such as the gateway.
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import { M } from '../metrics/names.js';
import { DATASOURCE, DATASOURCE_VAR, INSTANCE_VARS, PROVISIONED_DATASOURCE } from './config.js';

/** A variable listing `label_values(selector, label)`: one value, the first if none is chosen. */
export function labelVariable(name: string, label: string, description: string, selector: string): dash.QueryVariableBuilder {
  return new dash.QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(DATASOURCE)
    .query(`label_values(${selector}, ${name})`)
    .refresh(dash.VariableRefresh.OnTimeRangeChanged)
    .sort(dash.VariableSort.AlphabeticalAsc);
}

/** The variables every dashboard starts with: the Prometheus, then which gatewatch (job, instance). */
export function instanceVariables(): (dash.DatasourceVariableBuilder | dash.QueryVariableBuilder)[] {
  return [
    new dash.DatasourceVariableBuilder(DATASOURCE_VAR.name)
      .label('Prometheus')
      .description('The Prometheus that scrapes gatewatch.')
      .type(DATASOURCE_VAR.pluginType)
      .current({ selected: true, text: PROVISIONED_DATASOURCE, value: PROVISIONED_DATASOURCE }),
    labelVariable(INSTANCE_VARS.job, 'Job', 'The scrape job of gatewatch.', M.buildInfo).current({ selected: true, text: INSTANCE_VARS.defaultJob, value: INSTANCE_VARS.defaultJob }),
    labelVariable(INSTANCE_VARS.instance, 'Instance', 'Which gatewatch of the job: one at a time, so two are never summed.', `${M.buildInfo}{job="$${INSTANCE_VARS.job}"}`),
  ];
}


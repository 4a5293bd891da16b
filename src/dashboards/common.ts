// Small factories the dashboards are built from (the SDK examples' common.ts): each returns a builder
// with the shared defaults — datasource, reduction, legend — for the dashboard to chain on.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as barGaugePanel from '@grafana/grafana-foundation-sdk/bargauge';
import * as statPanel from '@grafana/grafana-foundation-sdk/stat';
import * as tablePanel from '@grafana/grafana-foundation-sdk/table';
import * as timeseriesPanel from '@grafana/grafana-foundation-sdk/timeseries';
import { L } from '../metrics/names.js';
import { COLOURS, DATASOURCE, NOC, PROM_ALERTS, REFRESH, TAG, TIME, UIDS, dashboardPath, runbook, scoped, type DashboardKey } from './config.js';
import { instanceVariables } from './variables.js';

export type Query = prometheus.DataqueryBuilder;
export type Panel = statPanel.PanelBuilder | timeseriesPanel.PanelBuilder | tablePanel.PanelBuilder | barGaugePanel.PanelBuilder;
/** `[value, colour]`: from this value up, this colour. */
export type Step = [number, string];

const GRID_WIDTH = 24;

/** A range query (time series panels), scoped to the chosen gatewatch (`scoped`). */
export function query(expr: string, legend = '__auto'): Query {
  return new prometheus.DataqueryBuilder().datasource(DATASOURCE).expr(scoped(expr)).legendFormat(legend).range();
}

/** An instant query (stats and tables read the latest value only), scoped to the chosen gatewatch. */
export function instant(expr: string, legend = '__auto'): Query {
  return new prometheus.DataqueryBuilder().datasource(DATASOURCE).expr(scoped(expr)).legendFormat(legend).instant();
}

/** An instant query as a table: one row per series, its labels as columns (merged by `joinTable`). */
export function tableQuery(expr: string): Query {
  return instant(expr).format(prometheus.PromQueryFormat.Table);
}

/** Adds the queries with refIds A, B, C… */
function withQueries<P extends Panel>(panel: P, queries: Query[]): P {
  queries.forEach((q, i) => panel.withTarget(q.refId(String.fromCharCode(65 + i))));
  return panel;
}

export function steps(base: string, ...above: Step[]): dash.ThresholdsConfigBuilder {
  return new dash.ThresholdsConfigBuilder()
    .mode(dash.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...above.map(([value, color]) => ({ value, color }))]);
}

/** A count of things in trouble: green at 0, `colour` from 1. */
export const problems = (colour: string = COLOURS.bad) => steps(COLOURS.ok, [1, colour]);

/** Value mappings for a 0/1 flag. */
export function flag(on: [string, string], off: [string, string]): dash.ValueMapping[] {
  return [
    {
      type: dash.MappingType.ValueToText,
      options: { '1': { text: on[0], color: on[1], index: 0 }, '0': { text: off[0], color: off[1], index: 1 } },
    },
  ];
}

export function stat(title: string, description: string, ...queries: Query[]): statPanel.PanelBuilder {
  const p = new statPanel.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.Auto)
    .thresholds(steps(COLOURS.info));
  return withQueries(p, queries);
}

/** Horizontal bars, one per series, longest first when the query sorts them. */
export function barGauge(title: string, description: string, ...queries: Query[]): barGaugePanel.PanelBuilder {
  const p = new barGaugePanel.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .min(0)
    .thresholds(steps(COLOURS.warn));
  return withQueries(p, queries);
}

/** Two numbers side by side: how many are fine (green) and how many are not (coloured by `problems`). */
export function fineVsNot(title: string, description: string, fine: [legend: string, expr: string], not: [legend: string, expr: string]): statPanel.PanelBuilder {
  return stat(title, description, instant(fine[1], fine[0]), instant(not[1], not[0]))
    .textMode(common.BigValueTextMode.ValueAndName)
    .overrideByQuery('A', [{ id: 'thresholds', value: steps(COLOURS.ok).build() }])
    .overrideByQuery('B', [{ id: 'thresholds', value: problems().build() }]);
}

export function timeseries(title: string, description: string, ...queries: Query[]): timeseriesPanel.PanelBuilder {
  const p = new timeseriesPanel.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .lineWidth(2)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .min(0)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).placement(common.LegendPlacement.Bottom).displayMode(common.LegendDisplayMode.List))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  return withQueries(p, queries);
}

/** A stacked time series (parts of a whole). */
export const stacked = (title: string, description: string, ...queries: Query[]) =>
  timeseries(title, description, ...queries).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)).fillOpacity(40);

/** A time series with its thresholds drawn as a dashed line (the healthy limit), e.g. 5 per core. */
export const limited = (title: string, description: string, thresholds: dash.ThresholdsConfigBuilder, ...queries: Query[]) =>
  timeseries(title, description, ...queries)
    .thresholds(thresholds)
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));

export interface Column {
  /** The column's header. */
  name: string;
  query: Query;
  unit?: string;
  mappings?: dash.ValueMapping[];
  thresholds?: dash.ThresholdsConfigBuilder;
}

/**
 * A table with one row per label set (`keys`, e.g. gateway), one column per instant query: the
 * queries are merged on their labels and the value columns renamed (`Value #B` → its name).
 */
export function joinTable(title: string, description: string, keys: string[], columns: Column[]): tablePanel.PanelBuilder {
  const p = withQueries(
    new tablePanel.PanelBuilder().title(title).description(description).datasource(DATASOURCE).cellHeight(common.TableCellHeight.Sm),
    columns.map((c) => c.query),
  );
  const renameByName: Record<string, string> = {};
  const indexByName: Record<string, number> = Object.fromEntries(keys.map((k, i) => [k, i]));
  columns.forEach((c, i) => {
    // Grafana names a lone query's value column "Value", and "Value #A", "Value #B"… only when there are several.
    const value = columns.length === 1 ? 'Value' : `Value #${String.fromCharCode(65 + i)}`;
    renameByName[value] = c.name;
    indexByName[value] = keys.length + i;
    const props: dash.DynamicConfigValue[] = [];
    if (c.unit) props.push({ id: 'unit', value: c.unit });
    if (c.mappings) props.push({ id: 'mappings', value: c.mappings });
    if (c.thresholds) props.push({ id: 'thresholds', value: c.thresholds.build() }, { id: 'custom.cellOptions', value: { type: 'color-background' } });
    else if (c.mappings) props.push({ id: 'custom.cellOptions', value: { type: 'color-text' } });
    if (props.length) p.overrideByName(c.name, props);
  });
  return p
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName, indexByName } });
}

/** Panel links to the runbook sections of these alerts. */
export function runbookLinks(...alerts: string[]): dash.DashboardLinkBuilder[] {
  return alerts.map((a) => new dash.DashboardLinkBuilder(`Runbook: ${a}`).url(runbook(a)).targetBlank(true));
}

/** A panel link to another gatewatch dashboard, keeping the time range. */
export function seeAlso(key: DashboardKey, title: string): dash.DashboardLinkBuilder {
  return new dash.DashboardLinkBuilder(title).url(dashboardPath(key)).keepTime(true).includeVars(true);
}

/** A gatewatch dashboard: uid, tags, refresh, and links to the NOC overview and to every other one. */
export function dashboard(key: DashboardKey, title: string, description: string, tags: string[]): dash.DashboardBuilder {
  const b = new dash.DashboardBuilder(title)
    .uid(UIDS[key])
    .description(description)
    .tags([TAG, ...tags])
    .refresh(REFRESH)
    .time(TIME)
    .timezone('browser')
    .tooltip(dash.DashboardCursorSync.Crosshair)
    .readonly()
    .link(new dash.DashboardLinkBuilder('gatewatch').type(dash.DashboardLinkType.Dashboards).tags([TAG]).asDropdown(true).keepTime(true).includeVars(true));
  for (const v of instanceVariables()) b.withVariable(v);
  if (key !== 'overview') b.link(new dash.DashboardLinkBuilder('CEM overview (NOC)').type(dash.DashboardLinkType.Link).url(`${dashboardPath('overview')}?theme=${NOC.theme}`).keepTime(true).includeVars(true));
  return b;
}

/** Marks an alert's pending and firing periods on the time series, from Prometheus's ALERTS series. */
export function alertAnnotation(alert: string, colour: string): dash.AnnotationQueryBuilder {
  runbook(alert); // an alert the rules define
  const { metric, nameLabel, stateLabel } = PROM_ALERTS;
  return new dash.AnnotationQueryBuilder()
    .name(alert)
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor(colour)
    .expr(`${metric}{${nameLabel}="${alert}"}`)
    .step('30s')
    .titleFormat(alert)
    .textFormat(`{{${L.gateway}}} {{${stateLabel}}}`)
    .tagKeys([L.gateway, stateLabel, 'severity'].join(','));
}

/**
 * Places rows of panels, each `[height, panels]` (the panels' widths must fill the 24 columns), and
 * numbers the panels 1, 2, 3… in reading order; returns the dashboard's JSON model.
 */
export function layout(b: dash.DashboardBuilder, rows: [height: number, panels: Panel[]][]): dash.Dashboard {
  let id = 1;
  for (const [height, row] of rows) {
    const width = row.reduce((w, p) => w + (p.build().gridPos?.w ?? 0), 0);
    if (width !== GRID_WIDTH) throw new Error(`a row of ${row.map((p) => p.build().title).join(', ')} is ${width} columns wide, not ${GRID_WIDTH}`);
    for (const p of row) b.withPanel(p.id(id++).height(height));
  }
  return b.build();
}

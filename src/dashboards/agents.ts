// Agent authentication & CEM state: how agents authenticate (permanent vs ephemeral certificates), where
// they are (Internet vs LAN), which still use plain HTTP, and how far CEM provisioning got.
import * as common from '@grafana/grafana-foundation-sdk/common';
import { L, M } from '../metrics/names.js';
import { dashboard, instant, joinTable, layout, query, runbookLinks, seeAlso, stacked, stat, steps, tableQuery, timeseries } from './common.js';
import { CEM_POLICY_APPLIED, COLOURS, HEIGHT, SELECTORS } from './config.js';
import { legend, select } from './panels.js';

const computers = (...matchers: string[]) => select(M.computers, ...matchers);

export function agentsDashboard() {
  const builder = dashboard('agents', 'gatewatch / Agent authentication & CEM state', 'How managed computers reach their servers: certificates, network zone, transport and CEM provisioning.', ['agents', 'cem']);

  const stats = [
    stat('On the Internet', 'Share of managed computers currently on the Internet (through a gateway) rather than the LAN.', instant(`sum(${computers(SELECTORS.internet)}) / sum(${M.computers})`))
      .unit('percentunit')
      .decimals(1)
      .thresholds(steps(COLOURS.internet))
      .links([seeAlso('overview', 'CEM overview')]),
    stat('HTTP-only agents', 'Agents talking plain HTTP to their server (no HTTPS); CEM needs HTTPS.', instant(`sum(${computers(SELECTORS.http)})`))
      .thresholds(steps(COLOURS.ok, [1, COLOURS.warn]))
      .links([seeAlso('gateways', 'Gateways & brokers')]),
    stat('Internet agents without a certificate', 'Computers on the Internet with no certificate authentication: no gateway will let them through.', instant(`sum(${computers(SELECTORS.internet, SELECTORS.noCertificate)})`))
      .thresholds(steps(COLOURS.ok, [1, COLOURS.bad]))
      .links(runbookLinks('GatewatchBlockedAgentSpike')),
    stat('CEM policy applied', 'Of the computers with CEM configured, the share with at least one CEM policy applied.', instant(`${M.cemPolicyApplied} / ${M.cemConfigured}`))
      .unit('percentunit')
      .decimals(1)
      .min(0)
      .max(1)
      .thresholds(steps(COLOURS.bad, [CEM_POLICY_APPLIED.warn, COLOURS.warn], [CEM_POLICY_APPLIED.ok, COLOURS.ok]))
      .links([seeAlso('overview', 'CEM overview')]),
  ].map((p) => p.span(6));

  const auth = timeseries(
    'Certificate authentication',
    'Computers authenticating with a permanent certificate, an ephemeral one, or both, over time.',
    query(`sum by (${L.auth}) (${computers(SELECTORS.certified)})`, legend(L.auth)),
  )
    .links([...runbookLinks('GatewatchGatewayNotRegistered'), seeAlso('gateways', 'Gateways: ephemeral authentication')])
    .span(12);
  const zones = stacked(
    'Internet vs LAN',
    'Share of managed computers on the Internet and on the LAN, over time.',
    query(`sum by (${L.connectivity}) (${M.computers})`, legend(L.connectivity)),
  )
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Percent))
    .unit('percentunit')
    .links([seeAlso('overview', 'CEM overview')])
    .span(12);

  const http = stacked(
    'HTTP-only agents by zone',
    'Agents using plain HTTP, on the Internet and on the LAN.',
    query(`sum by (${L.connectivity}) (${computers(SELECTORS.http)})`, legend(L.connectivity)),
  )
    .links([seeAlso('overview', 'CEM overview')])
    .span(8);
  const cem = timeseries(
    'CEM configured vs policy applied',
    'Computers with Cloud-enabled Management configured, and those with a CEM policy applied.',
    query(M.cemConfigured, 'CEM configured'),
    query(M.cemPolicyApplied, 'CEM policy applied'),
  )
    .links([seeAlso('overview', 'CEM overview')])
    .span(8);
  const matrix = joinTable('Computers by state', 'Managed computers per network zone, certificate authentication and transport.', [L.connectivity, L.auth, L.transport], [
    { name: 'Computers', query: tableQuery(`sum by (${L.connectivity}, ${L.auth}, ${L.transport}) (${M.computers})`) },
  ])
    .links([seeAlso('gateways', 'Gateways & brokers')])
    .span(8);

  return layout(builder, [[HEIGHT.stat, stats], [HEIGHT.graph, [auth, zones]], [HEIGHT.graph, [http, cem, matrix]]]);
}

// Every collector, one per dataset. The gateways collector comes first: its rows name the gateways that
// the per-gateway families of the others are zero-filled for.
import type { Collector } from '../collector.js';
import { agentMessagesCollector } from './agent-messages.js';
import { agentsCollector } from './agents.js';
import { agentVersionsCollector } from './agent-versions.js';
import { blockedAgentsCollector } from './blocked-agents.js';
import { brokerConnectionsCollector } from './broker-connections.js';
import { cemCollector } from './cem.js';
import { computersCollector } from './computers.js';
import { denialsCollector } from './denials.js';
import { diagnosisCollector } from './diagnosis.js';
import { gatewayAssignedCollector } from './gateway-assigned.js';
import { gatewayEndpointsCollector } from './gateway-endpoints.js';
import { gatewayConnectionsCollector } from './gateway-connections.js';
import { gatewaySilentCollector } from './gateway-silent.js';
import { gatewaysCollector } from './gateways.js';
import { relaysCollector } from './relays.js';

export const COLLECTORS: readonly Collector[] = [
  gatewaysCollector,
  computersCollector,
  cemCollector,
  gatewayAssignedCollector,
  gatewayEndpointsCollector,
  gatewayConnectionsCollector,
  brokerConnectionsCollector,
  denialsCollector,
  blockedAgentsCollector,
  relaysCollector,
  agentMessagesCollector,
  agentsCollector,
  gatewaySilentCollector,
  agentVersionsCollector,
  diagnosisCollector,
];

export { gatewaysCollector };

// Named datasets: the only way gatewatch reads the inventory. Each one's SQL is one file under
// queries/sql/ (the place a DBA adapts gatewatch to their CMDB); this file declares what the SQL takes
// and returns, so both drivers bind and map it the same way. docs/inventory.md documents the columns.

export type ParamType = 'bool' | 'int' | 'string' | 'datetime' | 'guid';
/** Result column types; a trailing '?' marks a nullable column. */
export type ColumnKind = 'string' | 'guid' | 'int' | 'bool' | 'datetime';
export type ColumnSpec = ColumnKind | `${ColumnKind}?`;

export interface DatasetDef {
  file: string;
  about: string;
  params: Record<string, ParamType>;
  columns: Record<string, ColumnSpec>;
  /** Columns a batch look-up may match on (dataloader keys). */
  keys?: readonly string[];
  /** Keyset orders: order name -> columns, unique together, none nullable. */
  orders?: Record<string, readonly string[]>;
  /**
   * Filter values that keep nearly every row, so a page under them still ends its index walk after
   * about LIMIT rows (sql-inventory.ts: such a page may run on the server's thread).
   */
  broad?: Readonly<Record<string, boolean | number | string>>;
}

export const DATASETS = {
  computers: {
    file: 'computers.sql',
    about: 'Computers with their CEM network zone, current Internet Gateway and agent certificate auth.',
    params: {
      managed: 'bool',
      isOnInternet: 'bool',
      httpsMode: 'bool',
      auth: 'string',
      gateway: 'string',
      namePattern: 'string',
      cemConfigured: 'bool',
      policyApplied: 'bool',
      lateSince: 'datetime',
      inactiveSince: 'datetime',
      reportingStates: 'int',
      notReportingSince: 'datetime',
    },
    columns: {
      Guid: 'guid',
      Name: 'string',
      Domain: 'string?',
      IPAddress: 'string?',
      IsManaged: 'bool',
      HasNetworkZone: 'bool',
      IsOnInternet: 'bool',
      InternetModeSupported: 'bool?',
      AppliedPolicyCount: 'int?',
      HTTPSMode: 'bool?',
      TLS: 'string?',
      CurrentGateway: 'string?',
      CurrentGatewayPort: 'int?',
      LastSuccess: 'datetime?',
      AuthType: 'string',
      AuthValidUntil: 'datetime?',
      LastReport: 'datetime?',
      AgentVersion: 'string?',
      Reporting: 'string',
    },
    keys: ['Guid', 'Name'],
    orders: { NAME: ['Name', 'Guid'], GUID: ['Guid'] },
    // The default page: a CMDB gatewatch watches is mostly agents (3 % unmanaged in the demo).
    broad: { managed: true },
  },
  gateway_assignments: {
    file: 'gateway_assignments.sql',
    about: 'Every Internet Gateway assigned to a computer (Inv_AeX_AC_InternetGatewayDetails).',
    params: {},
    columns: { ResourceGuid: 'guid', Gateway: 'string', Port: 'int', Current: 'bool', LastSuccess: 'datetime?' },
    keys: ['ResourceGuid'],
    orders: { GATEWAY: ['ResourceGuid', 'Gateway'] },
  },
  cem_summary: {
    file: 'cem_summary.sql',
    about: 'Managed computers by connection state, CEM provisioning and transport (one row).',
    params: {},
    columns: {
      Total: 'int',
      Internet: 'int',
      Lan: 'int',
      CemConfigured: 'int',
      PolicyApplied: 'int',
      Http: 'int',
      Https: 'int',
    },
  },
  computers_by_state: {
    file: 'computers_by_state.sql',
    about: 'Managed computers by connection state, certificate auth type and transport (one GROUP BY).',
    params: {},
    columns: { Connectivity: 'string', AuthType: 'string', Transport: 'string', Computers: 'int' },
  },
  computers_by_auth: {
    file: 'computers_by_auth.sql',
    about: 'Agents Distribution by Authentication Type: managed computers per certificate auth type.',
    params: {},
    columns: { AuthType: 'string', Computers: 'int' },
  },
  computers_by_gateway: {
    file: 'computers_by_gateway.sql',
    about: 'Computers by gateway: managed computers per current Internet Gateway.',
    params: {},
    columns: { Gateway: 'string', Computers: 'int' },
    keys: ['Gateway'],
  },
  gateways: {
    file: 'gateways.sql',
    about: 'Internet Gateways / Cloud Services Appliances and their status flags.',
    params: {},
    columns: {
      Name: 'string',
      Port: 'int',
      Version: 'string',
      Online: 'bool',
      Registered: 'bool',
      TroubleshootingMode: 'bool',
      EphemeralAuthEnabled: 'bool',
      AuthFailures: 'int',
    },
    keys: ['Name'],
    orders: { NAME: ['Name'] },
  },
  gateway_connections: {
    file: 'gateway_connections.sql',
    about: 'Current gateway connections by level (the CSA "Gateway service status" levels).',
    params: {},
    columns: { Gateway: 'string', Level: 'string', Connections: 'int' },
    keys: ['Gateway'],
  },
  broker_connections: {
    file: 'broker_connections.sql',
    about: 'Broker service connections from each core server to each gateway (healthy: at least 5 per core).',
    params: {},
    columns: { Gateway: 'string', Core: 'string', Connections: 'int' },
    keys: ['Gateway'],
  },
  denials: {
    file: 'denials.sql',
    about: 'Denied agent connections recorded per gateway and reason, optionally since a time.',
    params: { since: 'datetime' },
    columns: { Gateway: 'string', Reason: 'string', Denials: 'int' },
    keys: ['Gateway'],
  },
  access_requests: {
    file: 'access_requests.sql',
    about: 'The Access Troubleshooting list: agents a gateway denied and reported, with their status.',
    params: { status: 'string', gateway: 'string', since: 'datetime' },
    columns: {
      Id: 'int',
      AgentName: 'string',
      ResourceGuid: 'guid?',
      ReportedBy: 'string',
      CreatedAt: 'datetime',
      Status: 'string',
      Reason: 'string',
    },
    keys: ['AgentName'],
    orders: { NEWEST: ['CreatedAt', 'Id'] },
  },
  access_requests_by_status: {
    file: 'access_requests_by_status.sql',
    about: 'The Access Troubleshooting list counted per reporting gateway and status, with its oldest entry.',
    params: {},
    columns: { Gateway: 'string', Status: 'string', Requests: 'int', OldestCreatedAt: 'datetime' },
  },
  relays: {
    file: 'relays.sql',
    about: 'Relay agents and their health: last ping, cache folder, free cache space, Apache errors.',
    params: { online: 'bool', namePattern: 'string' },
    columns: {
      Name: 'string',
      Online: 'bool',
      LastPing: 'datetime?',
      CacheFolderValid: 'bool',
      CacheFreeBytes: 'int',
      HttpServerErrors: 'int',
      ClientsServed: 'int',
    },
    keys: ['Name'],
    orders: { NAME: ['Name'] },
  },
  agent_messages: {
    file: 'agent_messages.sql',
    about: 'Agent and relay messages currently posted (toolcfg_agentmessages.xml): errors and warnings.',
    params: { component: 'string', type: 'int', computer: 'string', since: 'datetime' },
    columns: {
      Id: 'int',
      MessageTypeId: 'guid',
      Component: 'string',
      Priority: 'int',
      Type: 'int',
      Computer: 'string',
      Text: 'string',
      RaisedAt: 'datetime',
    },
    keys: ['Computer'],
    orders: { NEWEST: ['RaisedAt', 'Id'] },
  },
  agent_messages_by_component: {
    file: 'agent_messages_by_component.sql',
    about: 'Messages currently posted per component and type (0 error, 1 warning).',
    params: {},
    columns: { Component: 'string', Type: 'int', Messages: 'int' },
  },
  computers_by_reporting: {
    file: 'computers_by_reporting.sql',
    about: 'Managed computers by reporting state (last ResourceUpdateSummary row) and connection state.',
    params: { lateSince: 'datetime', inactiveSince: 'datetime' },
    columns: { Reporting: 'string', Connectivity: 'string', Computers: 'int' },
  },
  computers_by_gateway_reporting: {
    file: 'computers_by_gateway_reporting.sql',
    about: 'Managed computers per current Internet Gateway and reporting state.',
    params: { lateSince: 'datetime', inactiveSince: 'datetime' },
    columns: { Gateway: 'string', Reporting: 'string', Computers: 'int' },
  },
  agent_versions: {
    file: 'agent_versions.sql',
    about: 'Managed computers per core agent version (Inv_AeX_AC_Client_Agent); NULL: no agent inventory.',
    params: {},
    columns: { Version: 'string?', Computers: 'int' },
  },
  diagnosis_facts: {
    file: 'diagnosis_facts.sql',
    about: 'Per computer, every fact the troubleshooting checks read (src/diagnosis/checks.ts decides).',
    params: { lateSince: 'datetime', inactiveSince: 'datetime', minBrokerConnections: 'int' },
    columns: {
      Guid: 'guid',
      Name: 'string',
      IsManaged: 'bool',
      HasNetworkZone: 'bool',
      IsOnInternet: 'bool',
      InternetModeSupported: 'bool?',
      AppliedPolicyCount: 'int?',
      LastReport: 'datetime?',
      Reporting: 'string',
      AgentVersion: 'string?',
      AuthType: 'string',
      AuthValidUntil: 'datetime?',
      CurrentGateway: 'string?',
      LastSuccess: 'datetime?',
      GatewayKnown: 'bool',
      GatewayOnline: 'bool?',
      GatewayRegistered: 'bool?',
      GatewayTroubleshootingMode: 'bool?',
      GatewayEphemeralAuth: 'bool?',
      GatewayVersion: 'string?',
      BrokerMin: 'int?',
      BrokerLowCore: 'string?',
      AccessStatus: 'string?',
      AccessReason: 'string?',
      AccessReportedBy: 'string?',
      MessageErrors: 'int',
      MessageWarnings: 'int',
      ErrorComponent: 'string?',
      WarningComponent: 'string?',
      Relay: 'string?',
      HasRelay: 'bool',
      RelayOnline: 'bool?',
      RelayCacheFolderValid: 'bool?',
      RelayCacheFreeBytes: 'int?',
      RelayHttpServerErrors: 'int?',
    },
    keys: ['Guid', 'Name'],
  },
} as const satisfies Record<string, DatasetDef>;

export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

type KindValue<K> = K extends 'int' ? number : K extends 'bool' ? boolean : K extends 'datetime' ? Date : string;
type ColumnValue<S> = S extends `${infer K}?` ? KindValue<K> | null : KindValue<S>;
type ParamValue<P> = P extends 'int' ? number : P extends 'bool' ? boolean : P extends 'datetime' ? Date : string;

/** The row type a dataset returns, derived from its column declarations. */
export type Row<N extends DatasetName> = {
  -readonly [C in keyof (typeof DATASETS)[N]['columns']]: ColumnValue<(typeof DATASETS)[N]['columns'][C]>;
};
/** A dataset's parameters; any left out are bound as NULL, which the SQL reads as "no filter". */
export type Params<N extends DatasetName> = {
  -readonly [P in keyof (typeof DATASETS)[N]['params']]?: ParamValue<(typeof DATASETS)[N]['params'][P]> | null;
};
export type KeyColumn<N extends DatasetName> = (typeof DATASETS)[N] extends { keys: readonly (infer K)[] }
  ? K & string
  : never;
export type OrderName<N extends DatasetName> = (typeof DATASETS)[N] extends { orders: infer O } ? keyof O & string : never;

// The tables the datasets under queries/sql/ read. The first five are ITMS's own (Broadcom ITMS CEM article);
// the gatewatch_* ones are gatewatch's documented contract, which a DBA can provide as views over
// their real data. The demo generator creates all of them, on SQLite and on SQL Server, from this list.

// 'string' columns compare case-insensitively on both engines, as a CMDB on SQL Server's default
// collation does: the demo's SQLite DDL declares them COLLATE NOCASE (src/demo/ddl.ts), so one SQL
// text (`Name = @name`) finds LT-AMS-001005 typed in any case and still seeks the name index.
export type ColumnType = 'guid' | 'string' | 'text' | 'int' | 'bigint' | 'bool' | 'datetime';

export interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

export interface Table {
  name: string;
  /**
   * 'itms': a table (or view) of ITMS itself, which a real CMDB holds; 'contract': a gatewatch_*
   * table of gatewatch's contract. `gatewatch demo --db` refuses a database holding an ITMS one it
   * did not create.
   */
  source: 'itms' | 'contract';
  columns: Column[];
  primaryKey?: string[];
  /** Indexes the datasets' filters, keyset orders and aggregates rely on. */
  indexes?: string[][];
}

const col = (name: string, type: ColumnType, nullable = false): Column => ({ name, type, nullable });

export const TABLES: Table[] = [
  {
    name: 'vComputer',
    source: 'itms',
    columns: [
      col('Guid', 'guid'),
      col('Name', 'string'),
      col('Domain', 'string', true),
      col('IP Address', 'string', true),
      col('IsManaged', 'bool'),
    ],
    primaryKey: ['Guid'],
    // (IsManaged, Guid): the aggregates over managed computers walk it in GUID order, so their joins
    // to the GUID-keyed inventory tables read pages in order instead of at random (4x at 1M computers).
    indexes: [['Name', 'Guid'], ['IsManaged', 'Name', 'Guid'], ['IsManaged', 'Guid']],
  },
  {
    name: 'Inv_AeX_AC_Network_Zone',
    source: 'itms',
    columns: [
      col('_ResourceGuid', 'guid'),
      col('IsOnInternet', 'bool'),
      col('InternetModeSupported', 'bool'),
      col('AppliedPolicyCount', 'int'),
      col('HTTPSMode', 'bool'),
      col('TLS', 'string', true),
    ],
    primaryKey: ['_ResourceGuid'],
  },
  {
    name: 'Inv_AeX_AC_InternetGatewayDetails',
    source: 'itms',
    columns: [
      col('_ResourceGuid', 'guid'),
      col('Gateway', 'string'),
      col('Port', 'int'),
      col('Current', 'bool'),
      col('Last Success', 'datetime', true),
    ],
    primaryKey: ['_ResourceGuid', 'Gateway'],
    indexes: [['Gateway', 'Current']],
  },
  {
    // When each inventory data class last arrived from a resource: MAX(ModifiedDate) is the agent's last report.
    name: 'ResourceUpdateSummary',
    source: 'itms',
    columns: [col('ResourceGuid', 'guid'), col('InventoryClassGuid', 'guid'), col('ModifiedDate', 'datetime')],
    primaryKey: ['ResourceGuid', 'InventoryClassGuid'],
    // Covers MAX(ModifiedDate) per ResourceGuid: one index seek per computer, no table read.
    indexes: [['ResourceGuid', 'ModifiedDate']],
  },
  {
    // One row per agent and plug-in installed on a computer; the core agent's row carries its version.
    name: 'Inv_AeX_AC_Client_Agent',
    source: 'itms',
    columns: [col('_ResourceGuid', 'guid'), col('Agent Name', 'string'), col('Product Version', 'string')],
    primaryKey: ['_ResourceGuid', 'Agent Name'],
  },
  {
    name: 'gatewatch_AgentAuth',
    source: 'contract',
    columns: [col('_ResourceGuid', 'guid'), col('AuthType', 'string'), col('ValidUntil', 'datetime', true)],
    primaryKey: ['_ResourceGuid'],
  },
  {
    name: 'gatewatch_Gateway',
    source: 'contract',
    columns: [
      col('Name', 'string'),
      col('Port', 'int'),
      col('Version', 'string'),
      col('Online', 'bool'),
      col('Registered', 'bool'),
      col('TroubleshootingMode', 'bool'),
      col('EphemeralAuthEnabled', 'bool'),
      col('AuthFailures', 'bigint'),
    ],
    primaryKey: ['Name'],
  },
  {
    name: 'gatewatch_GatewayConnection',
    source: 'contract',
    columns: [col('Gateway', 'string'), col('Level', 'string'), col('Connections', 'int')],
    primaryKey: ['Gateway', 'Level'],
  },
  {
    name: 'gatewatch_BrokerConnection',
    source: 'contract',
    columns: [col('Gateway', 'string'), col('Core', 'string'), col('Connections', 'int')],
    primaryKey: ['Gateway', 'Core'],
  },
  {
    name: 'gatewatch_AccessRequest',
    source: 'contract',
    columns: [
      col('Id', 'bigint'),
      col('AgentName', 'string'),
      col('_ResourceGuid', 'guid', true),
      col('ReportedBy', 'string'),
      col('CreatedAt', 'datetime'),
      col('Status', 'string'),
      col('Reason', 'string'),
    ],
    primaryKey: ['Id'],
    indexes: [['CreatedAt', 'Id'], ['AgentName']],
  },
  {
    name: 'gatewatch_Denial',
    source: 'contract',
    columns: [
      col('Id', 'bigint'),
      col('Gateway', 'string'),
      col('AgentName', 'string'),
      col('Reason', 'string'),
      col('DeniedAt', 'datetime'),
    ],
    primaryKey: ['Id'],
    indexes: [['Gateway', 'DeniedAt']],
  },
  {
    name: 'gatewatch_Relay',
    source: 'contract',
    columns: [
      col('Name', 'string'),
      col('Online', 'bool'),
      col('LastPing', 'datetime', true),
      col('CacheFolderValid', 'bool'),
      col('CacheFreeBytes', 'bigint'),
      col('HttpServerErrors', 'int'),
      col('ClientsServed', 'int'),
    ],
    primaryKey: ['Name'],
  },
  {
    name: 'gatewatch_AgentMessage',
    source: 'contract',
    columns: [
      col('Id', 'bigint'),
      col('MessageTypeId', 'guid'),
      col('Component', 'string'),
      col('Priority', 'int'),
      col('Type', 'int'),
      col('Computer', 'string'),
      col('Text', 'text'),
      col('RaisedAt', 'datetime'),
    ],
    primaryKey: ['Id'],
    indexes: [['RaisedAt', 'Id'], ['Computer']],
  },
  {
    // Which relay a LanGuard agent downloads through: in no product table, so gatewatch's contract.
    name: 'gatewatch_AgentRelay',
    source: 'contract',
    columns: [col('_ResourceGuid', 'guid'), col('Relay', 'string')],
    primaryKey: ['_ResourceGuid'],
  },
];

export function table(name: string): Table {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`unknown table ${name}`);
  return t;
}

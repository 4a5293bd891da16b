// PLACEHOLDER — being written: parse mssql:// URLs and ADO connection strings into MssqlSettings.
export interface MssqlSettings {
  server: string;
  port?: number;
  instanceName?: string;
  database: string;
  user?: string;
  password?: string;
  /** NTLM domain, for Windows authentication by user and password. */
  domain?: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  /** ApplicationIntent=ReadOnly: route to a readable secondary of an availability group. */
  readOnlyIntent: boolean;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  poolMax: number;
  appName: string;
}

export function parseMssqlTarget(_text: string): MssqlSettings {
  throw new Error('not yet');
}

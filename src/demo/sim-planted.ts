// The tick step that keeps the diagnosis scenario agents (diagnosis.ts) as planted: their rows are
// written anew relative to the tick's time, so each keeps its one failing check however long the demo
// runs (a last report "an hour ago" stays an hour ago, an ephemeral certificate never lapses into
// another verdict). The other steps leave them alone (sim-state.ts probes skip them); this one only
// moves their clocks. Its own statements: it draws nothing from the Rng, so seeds replay as before.
import { scenarioRows, ACCESS_BLOCKED_AGO } from './diagnosis.js';
import { sqliteValue } from './generate.js';
import { iso, type SimState } from './sim-state.js';

/** Every table scenarioRows writes to, with the column naming the agent. */
const AGENT_TABLES = [
  ['Inv_AeX_AC_Network_Zone', '_ResourceGuid'],
  ['Inv_AeX_AC_InternetGatewayDetails', '_ResourceGuid'],
  ['gatewatch_AgentAuth', '_ResourceGuid'],
  ['Inv_AeX_AC_Client_Agent', '_ResourceGuid'],
  ['ResourceUpdateSummary', 'ResourceGuid'],
  ['gatewatch_AgentRelay', '_ResourceGuid'],
] as const;

export function keepPlanted(s: SimState, now: Date): void {
  for (const [guid, scenario] of s.planted) {
    for (const [table, column] of AGENT_TABLES) s.run(`DELETE FROM [${table}] WHERE [${column}] = ?`, guid);
    for (const { table, row } of scenarioRows(scenario, guid, now)) {
      const columns = Object.keys(row);
      s.run(`INSERT INTO [${table}] (${columns.map((c) => `[${c}]`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, ...columns.map((c) => sqliteValue(row[c])));
    }
    // Blocked since the rollback, as long ago as when it was planted.
    if (scenario.accessRequest) s.run(`UPDATE gatewatch_AccessRequest SET CreatedAt = ? WHERE _ResourceGuid = ? AND Status = 'pending'`, iso(new Date(now.getTime() - ACCESS_BLOCKED_AGO)), guid);
  }
}

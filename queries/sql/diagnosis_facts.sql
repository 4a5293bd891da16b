-- diagnosis_facts: one row per computer with every fact the troubleshooting checks read (the Broadcom ITMS CEM article's
-- CEM flow, the Ivanti CSA article's broker connections, the GFI LanGuard article's agent messages and relay health). gatewatch
-- wraps it with the checks' CASE expressions (src/diagnosis/checks.ts); this file decides nothing.
-- @lateSince/@inactiveSince are the liveness cutoffs; @minBrokerConnections is the per-core minimum.
SELECT
  vc.[Guid] AS [Guid],
  vc.[Name] AS [Name],
  vc.[IsManaged] AS [IsManaged],
  CASE WHEN nz.[_ResourceGuid] IS NULL THEN 0 ELSE 1 END AS [HasNetworkZone],
  CASE WHEN nz.[IsOnInternet] = 1 THEN 1 ELSE 0 END AS [IsOnInternet],
  nz.[InternetModeSupported] AS [InternetModeSupported],
  nz.[AppliedPolicyCount] AS [AppliedPolicyCount],
  lr.[ModifiedDate] AS [LastReport],
  CASE WHEN lr.[ModifiedDate] IS NULL THEN 'never' WHEN lr.[ModifiedDate] >= @lateSince THEN 'reporting'
       WHEN lr.[ModifiedDate] >= @inactiveSince THEN 'late' ELSE 'inactive' END AS [Reporting],
  ca.[Product Version] AS [AgentVersion],
  COALESCE(au.[AuthType], 'none') AS [AuthType],
  au.[ValidUntil] AS [AuthValidUntil],
  gw.[Gateway] AS [CurrentGateway],
  gw.[Last Success] AS [LastSuccess],
  CASE WHEN g.[Name] IS NULL THEN 0 ELSE 1 END AS [GatewayKnown],
  g.[Online] AS [GatewayOnline],
  g.[Registered] AS [GatewayRegistered],
  g.[TroubleshootingMode] AS [GatewayTroubleshootingMode],
  g.[EphemeralAuthEnabled] AS [GatewayEphemeralAuth],
  g.[Version] AS [GatewayVersion],
  bc.[BrokerMin] AS [BrokerMin],
  bc.[BrokerLowCore] AS [BrokerLowCore],
  ar.[Status] AS [AccessStatus],
  ar.[Reason] AS [AccessReason],
  ar.[ReportedBy] AS [AccessReportedBy],
  ar.[CreatedAt] AS [AccessCreatedAt],
  COALESCE(am.[Errors], 0) AS [MessageErrors],
  COALESCE(am.[Warnings], 0) AS [MessageWarnings],
  am.[ErrorComponent] AS [ErrorComponent],
  am.[WarningComponent] AS [WarningComponent],
  rl.[Name] AS [Relay],
  CASE WHEN ag.[Relay] IS NULL THEN 0 ELSE 1 END AS [HasRelay],
  rl.[Online] AS [RelayOnline],
  rl.[CacheFolderValid] AS [RelayCacheFolderValid],
  rl.[CacheFreeBytes] AS [RelayCacheFreeBytes],
  rl.[HttpServerErrors] AS [RelayHttpServerErrors]
FROM vComputer vc
LEFT JOIN Inv_AeX_AC_Network_Zone nz ON nz.[_ResourceGuid] = vc.[Guid]
-- One current gateway per computer, as in computers.sql: the first by name if the inventory holds two.
LEFT JOIN Inv_AeX_AC_InternetGatewayDetails gw ON gw.[_ResourceGuid] = vc.[Guid] AND gw.[Current] = 1
  AND NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_InternetGatewayDetails g2
                  WHERE g2.[_ResourceGuid] = gw.[_ResourceGuid] AND g2.[Current] = 1 AND g2.[Gateway] < gw.[Gateway])
LEFT JOIN gatewatch_Gateway g ON g.[Name] = gw.[Gateway]
LEFT JOIN (SELECT b.[Gateway] AS [Gateway], MIN(b.[Connections]) AS [BrokerMin],
                  MIN(CASE WHEN b.[Connections] < @minBrokerConnections THEN b.[Core] END) AS [BrokerLowCore]
           FROM gatewatch_BrokerConnection b GROUP BY b.[Gateway]) bc ON bc.[Gateway] = gw.[Gateway]
LEFT JOIN gatewatch_AgentAuth au ON au.[_ResourceGuid] = vc.[Guid]
LEFT JOIN ResourceUpdateSummary lr ON lr.[ResourceGuid] = vc.[Guid]
  AND NOT EXISTS (SELECT 1 FROM ResourceUpdateSummary r2 WHERE r2.[ResourceGuid] = lr.[ResourceGuid]
                  AND (r2.[ModifiedDate] > lr.[ModifiedDate] OR (r2.[ModifiedDate] = lr.[ModifiedDate] AND r2.[InventoryClassGuid] > lr.[InventoryClassGuid])))
LEFT JOIN Inv_AeX_AC_Client_Agent ca ON ca.[_ResourceGuid] = vc.[Guid] AND ca.[Agent Name] IN ('Symantec Management Agent', 'Altiris Agent')
  AND NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_Client_Agent c2 WHERE c2.[_ResourceGuid] = ca.[_ResourceGuid]
                  AND c2.[Agent Name] IN ('Symantec Management Agent', 'Altiris Agent') AND c2.[Agent Name] > ca.[Agent Name])
-- The agent's latest access request: by GUID, or by name when the rollback lost its registration.
LEFT JOIN gatewatch_AccessRequest ar ON (ar.[_ResourceGuid] = vc.[Guid] OR (ar.[_ResourceGuid] IS NULL AND ar.[AgentName] = vc.[Name]))
  AND NOT EXISTS (SELECT 1 FROM gatewatch_AccessRequest a2
                  WHERE (a2.[_ResourceGuid] = vc.[Guid] OR (a2.[_ResourceGuid] IS NULL AND a2.[AgentName] = vc.[Name]))
                    AND (a2.[CreatedAt] > ar.[CreatedAt] OR (a2.[CreatedAt] = ar.[CreatedAt] AND a2.[Id] > ar.[Id])))
LEFT JOIN (SELECT m.[Computer] AS [Computer],
                  SUM(CASE WHEN m.[Type] = 0 THEN 1 ELSE 0 END) AS [Errors],
                  SUM(CASE WHEN m.[Type] = 1 THEN 1 ELSE 0 END) AS [Warnings],
                  MIN(CASE WHEN m.[Type] = 0 THEN m.[Component] END) AS [ErrorComponent],
                  MIN(CASE WHEN m.[Type] = 1 THEN m.[Component] END) AS [WarningComponent]
           FROM gatewatch_AgentMessage m GROUP BY m.[Computer]) am ON am.[Computer] = vc.[Name]
LEFT JOIN gatewatch_AgentRelay ag ON ag.[_ResourceGuid] = vc.[Guid]
LEFT JOIN gatewatch_Relay rl ON rl.[Name] = ag.[Relay]

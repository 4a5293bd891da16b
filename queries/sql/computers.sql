-- computers: every computer with its CEM connection state (Broadcom ITMS CEM article, "managed computers with their
-- current connection state"), its current Internet Gateway and its agent certificate auth type.
-- Each @parameter is NULL when the caller does not filter on it, except the liveness cutoffs @lateSince
-- and @inactiveSince, which gatewatch always binds (see docs/inventory.md, "Liveness").
-- The reporting state is decided over the inner table, where the last report is a scalar subquery
-- (an index seek, evaluated where it is referenced), not a join: a page that neither shows nor
-- filters on it never reads ResourceUpdateSummary on SQLite (a 50-row page 0.35 → 0.22 ms; filtered
-- by state, 251 → 77 ms at 200,000).
SELECT c.*,
  CASE WHEN c.[LastReport] IS NULL THEN 'never' WHEN c.[LastReport] >= @lateSince THEN 'reporting'
       WHEN c.[LastReport] >= @inactiveSince THEN 'late' ELSE 'inactive' END AS [Reporting]
FROM (
SELECT
  vc.[Guid] AS [Guid],
  vc.[Name] AS [Name],
  vc.[Domain] AS [Domain],
  vc.[IP Address] AS [IPAddress],
  vc.[IsManaged] AS [IsManaged],
  CASE WHEN nz.[_ResourceGuid] IS NULL THEN 0 ELSE 1 END AS [HasNetworkZone],
  CASE WHEN nz.[IsOnInternet] = 1 THEN 1 ELSE 0 END AS [IsOnInternet],
  nz.[InternetModeSupported] AS [InternetModeSupported],
  nz.[AppliedPolicyCount] AS [AppliedPolicyCount],
  nz.[HTTPSMode] AS [HTTPSMode],
  nz.[TLS] AS [TLS],
  gw.[Gateway] AS [CurrentGateway],
  gw.[Port] AS [CurrentGatewayPort],
  gw.[Last Success] AS [LastSuccess],
  COALESCE(au.[AuthType], 'none') AS [AuthType],
  au.[ValidUntil] AS [AuthValidUntil],
  (SELECT MAX(r.[ModifiedDate]) FROM ResourceUpdateSummary r WHERE r.[ResourceGuid] = vc.[Guid]) AS [LastReport],
  -- The core agent's version; plug-ins have rows of their own. An agent upgraded from 8.7 may keep
  -- its old 'Altiris Agent' row beside the new one: the newer name wins. A subquery, not a join: on
  -- this join SQLite builds a Bloom filter over the whole table for every page (0.4 ms → 58 ms a page
  -- at 100,000 computers).
  (SELECT COALESCE(MAX(CASE WHEN ca.[Agent Name] = 'Symantec Management Agent' THEN ca.[Product Version] END), MAX(ca.[Product Version]))
   FROM Inv_AeX_AC_Client_Agent ca
   WHERE ca.[_ResourceGuid] = vc.[Guid] AND ca.[Agent Name] IN ('Symantec Management Agent', 'Altiris Agent')) AS [AgentVersion]
FROM vComputer vc
LEFT JOIN Inv_AeX_AC_Network_Zone nz ON nz.[_ResourceGuid] = vc.[Guid]
LEFT JOIN Inv_AeX_AC_InternetGatewayDetails gw ON gw.[_ResourceGuid] = vc.[Guid] AND gw.[Current] = 1
  -- One row per computer even if the inventory holds two "current" gateways: keep the first by name.
  AND NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_InternetGatewayDetails g2
                  WHERE g2.[_ResourceGuid] = gw.[_ResourceGuid] AND g2.[Current] = 1 AND g2.[Gateway] < gw.[Gateway])
LEFT JOIN gatewatch_AgentAuth au ON au.[_ResourceGuid] = vc.[Guid]
WHERE (@managed IS NULL OR vc.[IsManaged] = @managed)
  AND (@isOnInternet IS NULL OR (CASE WHEN nz.[IsOnInternet] = 1 THEN 1 ELSE 0 END) = @isOnInternet)
  AND (@httpsMode IS NULL OR nz.[HTTPSMode] = @httpsMode)
  AND (@auth IS NULL OR COALESCE(au.[AuthType], 'none') = @auth)
  AND (@gateway IS NULL OR gw.[Gateway] = @gateway)
  AND (@namePattern IS NULL OR vc.[Name] LIKE @namePattern ESCAPE '\')
  AND (@cemConfigured IS NULL OR (CASE WHEN nz.[InternetModeSupported] = 1 THEN 1 ELSE 0 END) = @cemConfigured)
  AND (@policyApplied IS NULL OR (CASE WHEN nz.[AppliedPolicyCount] > 0 THEN 1 ELSE 0 END) = @policyApplied)
) AS c
-- @reportingStates: a bitmask of states (1 reporting, 2 late, 4 inactive, 8 never).
WHERE (@reportingStates IS NULL OR (@reportingStates & (CASE WHEN c.[LastReport] IS NULL THEN 8 WHEN c.[LastReport] >= @lateSince THEN 1
       WHEN c.[LastReport] >= @inactiveSince THEN 2 ELSE 4 END)) <> 0)
  AND (@notReportingSince IS NULL OR c.[LastReport] IS NULL OR c.[LastReport] < @notReportingSince)

-- Broadcom KB 187342 (Part 2 of the Broadcom ITMS CEM article): "list all managed computers with their current connection state
-- and, where available, their assigned Internet Gateway details", verbatim. Not a gatewatch dataset:
-- test/cem-kb187342-query.test.ts runs it on the demo inventory and checks cemSummary against it.
SELECT
vc.[Guid] AS [ResourceGuid],
vc.[Name] AS [Computer Name],
CASE
WHEN nz.[IsOnInternet] = 1 THEN 'CEM Mode Active (Internet Gateway)'
ELSE 'LAN Mode Active (Internal Network)'
END AS [Connectivity State],
gw.[Gateway] AS [Assigned Internet Gateway],
gw.[Port] AS [Gateway Port],
gw.[Current] AS [Is Current Gateway],
gw.[Last Success] AS [Last Successful Connection]
FROM vComputer vc
JOIN Inv_AeX_AC_Network_Zone nz ON vc.[Guid] = nz.[_ResourceGuid]
LEFT JOIN Inv_AeX_AC_InternetGatewayDetails gw ON vc.[Guid] = gw.[_ResourceGuid]
WHERE vc.[IsManaged] = 1;

-- gateway_endpoints: every Internet Gateway address (name and port) the agents' gateway lists name
-- (Inv_AeX_AC_InternetGatewayDetails), with the computers that list it, current or not. It is what
-- /sd/gateways hands Prometheus to probe: a real ITMS table, so a CMDB without gatewatch's contract
-- tables still gets its gateways probed.
SELECT
  gw.[Gateway] AS [Gateway],
  gw.[Port] AS [Port],
  COUNT(*) AS [Computers]
FROM Inv_AeX_AC_InternetGatewayDetails gw
WHERE gw.[Gateway] IS NOT NULL AND gw.[Port] IS NOT NULL
GROUP BY gw.[Gateway], gw.[Port]

-- gateway_connections: current connections per gateway and level (broker, client, admin, console,
-- unprivileged), as the CSA's "Gateway service status" shows them.
SELECT
  c.[Gateway] AS [Gateway],
  c.[Level] AS [Level],
  c.[Connections] AS [Connections]
FROM gatewatch_GatewayConnection c

-- broker_connections: broker service connections from each core server to each gateway. The core
-- opens them; a healthy core holds at least 5 (Ivanti CSA troubleshooting article).
SELECT
  b.[Gateway] AS [Gateway],
  b.[Core] AS [Core],
  b.[Connections] AS [Connections]
FROM gatewatch_BrokerConnection b

-- gateways: each Internet Gateway (ITMS) / Cloud Services Appliance (Ivanti) and its status flags.
-- Registered = 0: the gateway rejects every ephemeral certificate. TroubleshootingMode = 0: denied
-- agents are not reported, so the Access Troubleshooting list stays empty.
SELECT
  g.[Name] AS [Name],
  g.[Port] AS [Port],
  g.[Version] AS [Version],
  g.[Online] AS [Online],
  g.[Registered] AS [Registered],
  g.[TroubleshootingMode] AS [TroubleshootingMode],
  g.[EphemeralAuthEnabled] AS [EphemeralAuthEnabled],
  g.[AuthFailures] AS [AuthFailures]
FROM gatewatch_Gateway g

-- denials: denied agent connections per gateway and reason (registration_not_found after a CMDB
-- rollback, time_skew, version_mismatch, gateway_not_registered, blocked), since @since when given.
SELECT
  d.[Gateway] AS [Gateway],
  d.[Reason] AS [Reason],
  COUNT(*) AS [Denials]
FROM gatewatch_Denial d
WHERE (@since IS NULL OR d.[DeniedAt] >= @since)
GROUP BY d.[Gateway], d.[Reason]

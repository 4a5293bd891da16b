-- access_requests_by_status: the Access Troubleshooting list counted per reporting gateway and status,
-- with when the oldest entry of each was created (how long the oldest pending agent has waited).
SELECT
  r.[ReportedBy] AS [Gateway],
  r.[Status] AS [Status],
  COUNT(*) AS [Requests],
  MIN(r.[CreatedAt]) AS [OldestCreatedAt]
FROM gatewatch_AccessRequest r
GROUP BY r.[ReportedBy], r.[Status]

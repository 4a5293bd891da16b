-- access_requests_by_status: the Access Troubleshooting list counted per reporting gateway and status.
SELECT
  r.[ReportedBy] AS [Gateway],
  r.[Status] AS [Status],
  COUNT(*) AS [Requests]
FROM gatewatch_AccessRequest r
GROUP BY r.[ReportedBy], r.[Status]

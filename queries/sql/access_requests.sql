-- access_requests: the "Cloud-enabled Agents Access Troubleshooting" list: agents a gateway denied and
-- reported (only gateways in Troubleshooting mode report), awaiting approval or approved/blocked.
SELECT
  r.[Id] AS [Id],
  r.[AgentName] AS [AgentName],
  r.[_ResourceGuid] AS [ResourceGuid],
  r.[ReportedBy] AS [ReportedBy],
  r.[CreatedAt] AS [CreatedAt],
  r.[Status] AS [Status],
  r.[Reason] AS [Reason]
FROM gatewatch_AccessRequest r
WHERE (@status IS NULL OR r.[Status] = @status)
  AND (@gateway IS NULL OR r.[ReportedBy] = @gateway)
  AND (@since IS NULL OR r.[CreatedAt] >= @since)

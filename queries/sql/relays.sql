-- relays: relay agents and their health (GFI LanGuard agent communications article): last 20-minute ping, cache folder validity, free
-- space on the cache drive (a warning under 2 GB), Apache (HTTP server) errors, clients served.
SELECT
  r.[Name] AS [Name],
  r.[Online] AS [Online],
  r.[LastPing] AS [LastPing],
  r.[CacheFolderValid] AS [CacheFolderValid],
  r.[CacheFreeBytes] AS [CacheFreeBytes],
  r.[HttpServerErrors] AS [HttpServerErrors],
  r.[ClientsServed] AS [ClientsServed]
FROM gatewatch_Relay r
WHERE (@online IS NULL OR r.[Online] = @online)
  AND (@namePattern IS NULL OR r.[Name] LIKE @namePattern ESCAPE '\')

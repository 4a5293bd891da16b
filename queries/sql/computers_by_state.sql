-- computers_by_state: managed computers by connection state, certificate auth type and transport, the
-- three axes of the Broadcom ITMS CEM article's CEM reports in one GROUP BY (the exporter's gatewatch_computers).
-- Only HTTPSMode = 0 is HTTP ("All Computers operating over HTTP"); a computer with no
-- Inv_AeX_AC_Network_Zone row (or a NULL HTTPSMode) counts as LAN over HTTPS, so every managed computer
-- is in exactly one series.
SELECT
  CASE WHEN nz.[IsOnInternet] = 1 THEN 'internet' ELSE 'lan' END AS [Connectivity],
  COALESCE(au.[AuthType], 'none') AS [AuthType],
  CASE WHEN nz.[HTTPSMode] = 0 THEN 'http' ELSE 'https' END AS [Transport],
  COUNT(*) AS [Computers]
FROM vComputer vc
LEFT JOIN Inv_AeX_AC_Network_Zone nz ON nz.[_ResourceGuid] = vc.[Guid]
LEFT JOIN gatewatch_AgentAuth au ON au.[_ResourceGuid] = vc.[Guid]
WHERE vc.[IsManaged] = 1
GROUP BY
  CASE WHEN nz.[IsOnInternet] = 1 THEN 'internet' ELSE 'lan' END,
  COALESCE(au.[AuthType], 'none'),
  CASE WHEN nz.[HTTPSMode] = 0 THEN 'http' ELSE 'https' END

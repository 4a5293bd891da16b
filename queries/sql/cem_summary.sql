-- cem_summary: "Agents Distribution by Connection Type" and the two computer filters of the Broadcom ITMS CEM article
-- ("All Computers Currently on the Internet", "All Computers operating over HTTP") as counts.
SELECT
  COUNT(*) AS [Total],
  COALESCE(SUM(CASE WHEN nz.[IsOnInternet] = 1 THEN 1 ELSE 0 END), 0) AS [Internet],
  COALESCE(SUM(CASE WHEN nz.[IsOnInternet] = 1 THEN 0 ELSE 1 END), 0) AS [Lan],
  COALESCE(SUM(CASE WHEN nz.[InternetModeSupported] = 1 THEN 1 ELSE 0 END), 0) AS [CemConfigured],
  COALESCE(SUM(CASE WHEN nz.[AppliedPolicyCount] > 0 THEN 1 ELSE 0 END), 0) AS [PolicyApplied],
  COALESCE(SUM(CASE WHEN nz.[HTTPSMode] = 0 THEN 1 ELSE 0 END), 0) AS [Http],
  COALESCE(SUM(CASE WHEN nz.[HTTPSMode] = 1 THEN 1 ELSE 0 END), 0) AS [Https]
FROM vComputer vc
LEFT JOIN Inv_AeX_AC_Network_Zone nz ON nz.[_ResourceGuid] = vc.[Guid]
WHERE vc.[IsManaged] = 1

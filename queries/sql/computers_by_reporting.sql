-- computers_by_reporting: managed computers by reporting state and connection state (the exporter's
-- gatewatch_agents, GraphQL's cemSummary.byReporting). The last report is MAX(ModifiedDate) of
-- ResourceUpdateSummary; @lateSince and @inactiveSince are the cutoffs gatewatch computes from now.
SELECT
  CASE WHEN lr.[LastReport] IS NULL THEN 'never' WHEN lr.[LastReport] >= @lateSince THEN 'reporting'
       WHEN lr.[LastReport] >= @inactiveSince THEN 'late' ELSE 'inactive' END AS [Reporting],
  CASE WHEN nz.[IsOnInternet] = 1 THEN 'internet' ELSE 'lan' END AS [Connectivity],
  COUNT(*) AS [Computers]
FROM vComputer vc
LEFT JOIN Inv_AeX_AC_Network_Zone nz ON nz.[_ResourceGuid] = vc.[Guid]
LEFT JOIN (SELECT r.[ResourceGuid], MAX(r.[ModifiedDate]) AS [LastReport] FROM ResourceUpdateSummary r GROUP BY r.[ResourceGuid]) lr
  ON lr.[ResourceGuid] = vc.[Guid]
WHERE vc.[IsManaged] = 1
GROUP BY
  CASE WHEN lr.[LastReport] IS NULL THEN 'never' WHEN lr.[LastReport] >= @lateSince THEN 'reporting'
       WHEN lr.[LastReport] >= @inactiveSince THEN 'late' ELSE 'inactive' END,
  CASE WHEN nz.[IsOnInternet] = 1 THEN 'internet' ELSE 'lan' END

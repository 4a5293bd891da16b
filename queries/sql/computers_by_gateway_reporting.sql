-- computers_by_gateway_reporting: managed computers per current Internet Gateway and reporting state.
-- For a silent agent the "current" gateway is the one its last inventory named: where it went quiet.
-- Counted under the same gateway as computers_by_gateway when two rows claim to be current.
SELECT
  gw.[Gateway] AS [Gateway],
  CASE WHEN lr.[LastReport] IS NULL THEN 'never' WHEN lr.[LastReport] >= @lateSince THEN 'reporting'
       WHEN lr.[LastReport] >= @inactiveSince THEN 'late' ELSE 'inactive' END AS [Reporting],
  COUNT(*) AS [Computers]
FROM vComputer vc
JOIN Inv_AeX_AC_InternetGatewayDetails gw ON gw.[_ResourceGuid] = vc.[Guid] AND gw.[Current] = 1
  AND NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_InternetGatewayDetails g2
                  WHERE g2.[_ResourceGuid] = gw.[_ResourceGuid] AND g2.[Current] = 1 AND g2.[Gateway] < gw.[Gateway])
LEFT JOIN (SELECT r.[ResourceGuid], MAX(r.[ModifiedDate]) AS [LastReport] FROM ResourceUpdateSummary r GROUP BY r.[ResourceGuid]) lr
  ON lr.[ResourceGuid] = vc.[Guid]
WHERE vc.[IsManaged] = 1
GROUP BY
  gw.[Gateway],
  CASE WHEN lr.[LastReport] IS NULL THEN 'never' WHEN lr.[LastReport] >= @lateSince THEN 'reporting'
       WHEN lr.[LastReport] >= @inactiveSince THEN 'late' ELSE 'inactive' END

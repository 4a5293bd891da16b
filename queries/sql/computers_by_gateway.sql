-- computers_by_gateway: "Computers by gateway": managed computers per current Internet Gateway.
SELECT
  gw.[Gateway] AS [Gateway],
  COUNT(*) AS [Computers]
FROM vComputer vc
JOIN Inv_AeX_AC_InternetGatewayDetails gw ON gw.[_ResourceGuid] = vc.[Guid] AND gw.[Current] = 1
  -- Counted once, under the same gateway the computers dataset shows, if two claim to be current.
  AND NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_InternetGatewayDetails g2
                  WHERE g2.[_ResourceGuid] = gw.[_ResourceGuid] AND g2.[Current] = 1 AND g2.[Gateway] < gw.[Gateway])
WHERE vc.[IsManaged] = 1
GROUP BY gw.[Gateway]

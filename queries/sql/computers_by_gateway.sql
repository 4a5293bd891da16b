-- computers_by_gateway: "Computers by gateway": managed computers per current Internet Gateway.
SELECT
  gw.[Gateway] AS [Gateway],
  COUNT(*) AS [Computers]
FROM vComputer vc
JOIN Inv_AeX_AC_InternetGatewayDetails gw ON gw.[_ResourceGuid] = vc.[Guid] AND gw.[Current] = 1
WHERE vc.[IsManaged] = 1
GROUP BY gw.[Gateway]

-- computers_by_auth: "Agents Distribution by Authentication Type" (ITMS 8.8.1): managed computers by
-- the certificates their agent connects with: permanent, ephemeral, both, or none recorded.
SELECT
  COALESCE(au.[AuthType], 'none') AS [AuthType],
  COUNT(*) AS [Computers]
FROM vComputer vc
LEFT JOIN gatewatch_AgentAuth au ON au.[_ResourceGuid] = vc.[Guid]
WHERE vc.[IsManaged] = 1
GROUP BY COALESCE(au.[AuthType], 'none')

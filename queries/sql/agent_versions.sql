-- agent_versions: managed computers per core agent version (Inv_AeX_AC_Client_Agent; plug-ins have
-- rows of their own and are not counted). NULL: no agent inventory yet. Ephemeral certificates need
-- 8.8.1 or later on the agent, the Notification Server and the gateway (Broadcom ITMS CEM article).
SELECT
  ca.[Product Version] AS [Version],
  COUNT(*) AS [Computers]
FROM vComputer vc
LEFT JOIN Inv_AeX_AC_Client_Agent ca ON ca.[_ResourceGuid] = vc.[Guid] AND ca.[Agent Name] IN ('Symantec Management Agent', 'Altiris Agent')
  AND NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_Client_Agent c2 WHERE c2.[_ResourceGuid] = ca.[_ResourceGuid]
                  AND c2.[Agent Name] IN ('Symantec Management Agent', 'Altiris Agent') AND c2.[Agent Name] > ca.[Agent Name])
WHERE vc.[IsManaged] = 1
GROUP BY ca.[Product Version]

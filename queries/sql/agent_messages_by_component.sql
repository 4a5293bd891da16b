-- agent_messages_by_component: messages currently posted, per component and type (0 error, 1 warning).
SELECT
  m.[Component] AS [Component],
  m.[Type] AS [Type],
  COUNT(*) AS [Messages]
FROM gatewatch_AgentMessage m
GROUP BY m.[Component], m.[Type]
